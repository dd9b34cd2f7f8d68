package io.sluice.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** CPU time and peak RSS of a live process, read from /proc (Linux). */
record ProcStats(double cpuSeconds, long peakRssKiB) {
    /** Clock ticks per second of utime/stime; 100 on every common Linux. */
    private static final double CLK_TCK = 100.0;

    static ProcStats of(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // after the command: field 3 is f[0]; utime is field 14, stime field 15
            double cpu = (Long.parseLong(f[11]) + Long.parseLong(f[12])) / CLK_TCK;
            long hwm = -1;
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmHWM:")) {
                    hwm = Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
            return new ProcStats(cpu, hwm);
        } catch (IOException | RuntimeException e) {
            return new ProcStats(Double.NaN, -1);
        }
    }

    double peakRssMiB() {
        return peakRssKiB / 1024.0;
    }
}
