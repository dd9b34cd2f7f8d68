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

    /**
     * CPU seconds of a live process's busiest threads, as {@code name s (user u), …} (from /proc/<pid>/task); the
     * rest of a thread's time is the kernel's (system calls, page-cache writes, writeback charged to fsync).
     */
    static String busiestThreads(long pid, int n) {
        java.util.List<java.util.Map.Entry<String, Double>> all = new java.util.ArrayList<>();
        java.util.Map<String, Double> user = new java.util.HashMap<>();
        java.util.Map<String, Double> waited = new java.util.HashMap<>();
        try (java.util.stream.Stream<Path> tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
            for (Path t : tasks.toList()) {
                try {
                    String stat = Files.readString(t.resolve("stat"));
                    String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
                    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                    String key = name + "#" + t.getFileName();
                    all.add(java.util.Map.entry(key, (Long.parseLong(f[11]) + Long.parseLong(f[12])) / CLK_TCK));
                    user.put(key, Long.parseLong(f[11]) / CLK_TCK);
                    // schedstat: time on a CPU, time runnable but waiting for one (ns), time slices
                    String[] sched =
                            Files.readString(t.resolve("schedstat")).trim().split(" ");
                    waited.put(key, Long.parseLong(sched[1]) / 1e9);
                } catch (IOException | RuntimeException gone) {
                    // the thread ended meanwhile
                }
            }
        } catch (IOException e) {
            return "?";
        }
        all.sort(java.util.Map.Entry.<String, Double>comparingByValue().reversed());
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(n, all.size()); i++) {
            String key = all.get(i).getKey();
            sb.append(i == 0 ? "" : ", ")
                    .append(key, 0, key.lastIndexOf('#'))
                    .append(String.format(
                            java.util.Locale.ROOT,
                            " %.1f s (user %.1f, waited for a CPU %.1f)",
                            all.get(i).getValue(),
                            user.get(key),
                            waited.get(key)));
        }
        return sb.toString();
    }

    /** The pid of this JVM's descendant process whose command line contains {@code needle}, or -1. */
    static long descendant(String needle) {
        return ProcessHandle.current()
                .descendants()
                .filter(h -> commandLine(h.pid()).contains(needle))
                .findFirst()
                .map(ProcessHandle::pid)
                .orElse(-1L);
    }

    /**
     * CPU seconds so far of a server made of forked processes (PostgreSQL's postmaster and its backends): the
     * process's own, its live descendants', and that of its children that ended and were waited for (cutime,
     * cstime); NaN when it is not running.
     */
    static double treeCpu(long pid) {
        if (pid < 0) {
            return Double.NaN;
        }
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            // utime, stime, cutime, cstime: fields 14-17
            double cpu = (Long.parseLong(f[11]) + Long.parseLong(f[12]) + Long.parseLong(f[13]) + Long.parseLong(f[14]))
                    / CLK_TCK;
            double live = ProcessHandle.of(pid)
                    .map(h -> h.descendants()
                            .mapToDouble(d -> {
                                double c = of(d.pid()).cpuSeconds();
                                return Double.isNaN(c) ? 0 : c;
                            })
                            .sum())
                    .orElse(0.0);
            return cpu + live;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /**
     * A process's command line from /proc (arguments separated by spaces), "" when it is gone. Not {@code
     * ProcessHandle.Info.commandLine()}: that is empty for the long class paths of the broker and the Connect worker.
     */
    private static String commandLine(long pid) {
        try {
            return Files.readString(Path.of("/proc/" + pid + "/cmdline")).replace('\0', ' ');
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    /** CPU seconds so far of this JVM's descendant process whose command line contains {@code needle}, or NaN. */
    static double descendantCpu(String needle) {
        long pid = descendant(needle);
        return pid < 0 ? Double.NaN : of(pid).cpuSeconds();
    }

    double peakRssMiB() {
        return peakRssKiB / 1024.0;
    }
}
