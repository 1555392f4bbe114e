import ClusterCore

/// The load score new sessions are placed by: lower is better.
///
///     score = (cpu + pressure + memory + 0.1 × (sessions + recent)) / weight
///
/// * cpu = load1 / cpus: run-queue length per CPU, the classic measure of CPU demand.
/// * pressure = max(PSI some avg10 of cpu, memory, io) / 100: the share of time some task
///   stalled; catches memory and disk contention that the load average hides. 0 without PSI.
/// * memory = 1 − MemAvailable / MemTotal.
/// * sessions = interactive sessions the agent counts; recent = sessions this load balancer
///   assigned within the recent-assignment window. 0.1 per session makes ten idle desktops
///   weigh like one busy CPU, and it is what spreads a burst of logins: each assignment raises
///   the chosen server's score at once, before any kernel figure can move.
/// * weight = the server's capacity weight from the directory (1...1000).
public enum LoadScore {
    public static let perSession = 0.1

    public static func score(_ report: LoadReport, recentAssignments: Int, weight: Int) -> Double {
        let cpu = report.load1 / Double(max(report.cpus, 1))
        let pressure = [report.pressure.cpu, report.pressure.memory, report.pressure.io].compactMap { $0 }.max().map { $0 / 100 } ?? 0
        let memory = report.memoryTotalBytes > 0 ? 1 - Double(report.memoryAvailableBytes) / Double(report.memoryTotalBytes) : 0
        let sessions = Double(report.sessions + recentAssignments) * perSession
        return (cpu + pressure + memory + sessions) / Double(max(weight, 1))
    }
}
