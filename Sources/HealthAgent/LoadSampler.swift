#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import ClusterCore
import Foundation

/// Takes one sample of this machine's real load from the kernel.
///
/// Load averages, memory and the CPU count are required: without them there is nothing true
/// to report, and `sample()` throws (the agent then keeps its previous sample, whose age shows
/// in `sampledAt`). Pressure stall information is optional: kernels before 4.20, kernels
/// booted with `psi=0` and many containers have none, and the report then says nil rather
/// than a made-up 0. A missing utmp file means no sessions are registered on this machine.
struct LoadSampler: Sendable {
    /// Where the kernel's figures are; replaced by fixture files in tests.
    struct Paths: Sendable, Equatable {
        var loadAverage = "/proc/loadavg"
        var memoryInfo = "/proc/meminfo"
        var pressureDirectory = "/proc/pressure"
        var onlineCPUs = "/sys/devices/system/cpu/online"
        var utmp = "/var/run/utmp"
    }

    /// A sample, and what was wrong without preventing it (logged once per reason by the
    /// service).
    struct Outcome: Sendable, Equatable {
        var sample: LoadSample
        var notes: [String]
    }

    let paths: Paths
    let sessions: SessionCounter
    let now: @Sendable () -> Date

    init(paths: Paths, isAlive: @escaping @Sendable (Int32) -> Bool = ProcessLiveness.isAlive,
         now: @escaping @Sendable () -> Date = { Date() }) {
        self.paths = paths
        self.sessions = SessionCounter(path: paths.utmp, isAlive: isAlive)
        self.now = now
    }

    /// Reads every source once.
    func sample() throws(LoadSamplingError) -> Outcome {
        var notes = [String]()
        let time = now()
        let load = try required(paths.loadAverage) { text throws(KernelTextError) in try LoadAverages(parsing: text) }
        let memory = try required(paths.memoryInfo) { text throws(KernelTextError) in try MemoryInfo(parsing: text) }
        let cpus = try onlineCPUCount(notes: &notes)
        let pressure = LoadReport.Pressure(
            cpu: self.pressure("cpu", notes: &notes),
            memory: self.pressure("memory", notes: &notes),
            io: self.pressure("io", notes: &notes)
        )
        let count: SessionCount
        do {
            count = try sessions.count()
        } catch .absent(let path) {
            notes.append("\(path) does not exist: reporting 0 sessions")
            count = .none
        } catch {
            throw .unreadable(error)
        }
        let sample = LoadSample(
            load1: load.one, load5: load.five, load15: load.fifteen, cpus: cpus, pressure: pressure,
            memoryAvailableBytes: memory.availableBytes, memoryTotalBytes: memory.totalBytes,
            sessions: count.sessions, users: count.users, sampledAt: LoadSample.milliseconds(time)
        )
        return Outcome(sample: sample, notes: notes)
    }

    private func required<T>(_ path: String, _ parse: (String) throws(KernelTextError) -> T) throws(LoadSamplingError) -> T {
        let text: String
        do {
            text = try KernelFile.readText(path)
        } catch {
            throw .unreadable(error)
        }
        do {
            return try parse(text)
        } catch {
            throw .malformed(path: path, error)
        }
    }

    /// The sysfs list where there is one; `sysconf` otherwise (it counts the same CPUs, but
    /// the file is what tests can replace).
    private func onlineCPUCount(notes: inout [String]) throws(LoadSamplingError) -> Int {
        do {
            return try OnlineCPUs(parsing: KernelFile.readText(paths.onlineCPUs)).count
        } catch let error as KernelTextError {
            notes.append("\(paths.onlineCPUs): \(error); using sysconf")
        } catch {
            // Absent or unreadable: sysfs is not mounted in every container.
        }
        let count = sysconf(Int32(_SC_NPROCESSORS_ONLN))
        guard count > 0 else { throw .noCPUCount }
        return count
    }

    private func pressure(_ resource: String, notes: inout [String]) -> Double? {
        let path = paths.pressureDirectory + "/" + resource
        let text: String
        do {
            text = try KernelFile.readText(path)
        } catch {
            return nil
        }
        do {
            return try PressureStall(parsing: text).someAverage10
        } catch {
            notes.append("\(path): \(error); reporting no \(resource) pressure")
            return nil
        }
    }
}

/// Why no sample could be taken.
enum LoadSamplingError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A file the agent cannot do without could not be read.
    case unreadable(KernelFileError)
    /// It was read but does not hold what the kernel writes there.
    case malformed(path: String, KernelTextError)
    /// Neither sysfs nor sysconf gave a CPU count.
    case noCPUCount

    var description: String {
        switch self {
        case .unreadable(let error): return "\(error)"
        case let .malformed(path, error): return "\(path): \(error)"
        case .noCPUCount: return "cannot tell how many CPUs are online"
        }
    }
}
