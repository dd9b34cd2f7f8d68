package io.sluice.mysql.source;

/** TLS to the server, in the modes MySQL clients know ({@code --ssl-mode}). */
public enum TlsMode {
    DISABLED,
    PREFERRED,
    REQUIRED,
    VERIFY_CA,
    VERIFY_IDENTITY
}
