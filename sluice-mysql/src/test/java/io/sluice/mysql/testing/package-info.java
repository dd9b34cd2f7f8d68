/**
 * Test fixtures of the MySQL source that other modules' tests share through sluice-mysql's test-jar: the settings of a
 * source on a test server and its current binlog position. Depends on the source's config and the testkit only.
 */
package io.sluice.mysql.testing;
