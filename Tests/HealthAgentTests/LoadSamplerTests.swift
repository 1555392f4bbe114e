import ClusterCore
import Foundation
import Testing

@testable import HealthAgent

/// The sampler over a fake /proc: which sources are required, which are optional, and what
/// the sample says when an optional one is missing.
@Suite struct LoadSamplerTests {
    /// A directory laid out like the kernel's files, with a utmp holding one live session.
    struct FakeKernel {
        let directory: TemporaryDirectory
        var paths: LoadSampler.Paths

        init() throws {
            directory = try TemporaryDirectory()
            try FileManager.default.createDirectory(atPath: directory.file("pressure"), withIntermediateDirectories: true)
            try directory.write("loadavg", "2.50 1.25 0.75 3/412 9120\n")
            try directory.write("meminfo", "MemTotal:        8000000 kB\nMemFree:  100 kB\nMemAvailable:    6000000 kB\n")
            try directory.write("online", "0-7\n")
            for (resource, value) in [("cpu", "12.50"), ("memory", "0.40"), ("io", "3.00")] {
                try directory.write("pressure/\(resource)", "some avg10=\(value) avg60=0.00 avg300=0.00 total=1\n")
            }
            try directory.write("utmp", bytes: utmpBytes([UtmpRecord(type: 7, pid: 0, line: ":7", user: "alice")]))
            paths = LoadSampler.Paths(
                loadAverage: directory.file("loadavg"), memoryInfo: directory.file("meminfo"),
                pressureDirectory: directory.file("pressure"), onlineCPUs: directory.file("online"), utmp: directory.file("utmp")
            )
        }

        func sampler() -> LoadSampler {
            LoadSampler(paths: paths, now: { Date(timeIntervalSince1970: 1_700_000_000.5) })
        }
    }

    @Test func everyFigureComesFromItsFile() throws {
        let kernel = try FakeKernel()
        defer { kernel.directory.remove() }
        let outcome = try kernel.sampler().sample()
        #expect(outcome.notes.isEmpty)
        #expect(outcome.sample == LoadSample(
            load1: 2.5, load5: 1.25, load15: 0.75, cpus: 8,
            pressure: LoadReport.Pressure(cpu: 12.5, memory: 0.4, io: 3),
            memoryAvailableBytes: 6_000_000 * 1024, memoryTotalBytes: 8_000_000 * 1024,
            sessions: 1, users: ["alice"], sampledAt: 1_700_000_000_500
        ))
    }

    @Test func pressureIsNilWithoutPSIAndNoteworthyOnlyWhenMalformed() throws {
        let kernel = try FakeKernel()
        defer { kernel.directory.remove() }
        try FileManager.default.removeItem(atPath: kernel.directory.file("pressure/memory"))
        try kernel.directory.write("pressure/io", "garbage\n")
        let outcome = try kernel.sampler().sample()
        #expect(outcome.sample.pressure == LoadReport.Pressure(cpu: 12.5, memory: nil, io: nil))
        #expect(outcome.notes.count == 1)
        #expect(outcome.notes.first?.contains("pressure/io") == true)
    }

    @Test func aMissingUtmpMeansNoSessionsWithANote() throws {
        let kernel = try FakeKernel()
        defer { kernel.directory.remove() }
        try FileManager.default.removeItem(atPath: kernel.directory.file("utmp"))
        let outcome = try kernel.sampler().sample()
        #expect(outcome.sample.sessions == 0)
        #expect(outcome.sample.users.isEmpty)
        #expect(outcome.notes == ["\(kernel.directory.file("utmp")) does not exist: reporting 0 sessions"])
    }

    @Test func withoutTheSysfsCPUListTheCountComesFromSysconf() throws {
        let kernel = try FakeKernel()
        defer { kernel.directory.remove() }
        try FileManager.default.removeItem(atPath: kernel.directory.file("online"))
        #expect(try kernel.sampler().sample().sample.cpus >= 1)
    }

    @Test func withoutLoadAveragesThereIsNoSample() throws {
        let kernel = try FakeKernel()
        defer { kernel.directory.remove() }
        try FileManager.default.removeItem(atPath: kernel.directory.file("loadavg"))
        #expect(throws: LoadSamplingError.unreadable(.absent(path: kernel.directory.file("loadavg")))) {
            try kernel.sampler().sample()
        }
    }

    @Test func malformedMeminfoIsRefusedWithItsPath() throws {
        let kernel = try FakeKernel()
        defer { kernel.directory.remove() }
        try kernel.directory.write("meminfo", "MemTotal: 100 kB\n")
        #expect(throws: LoadSamplingError.malformed(path: kernel.directory.file("meminfo"), .missingField("MemAvailable"))) {
            try kernel.sampler().sample()
        }
    }

    @Test func thisMachinesKernelGivesAPlausibleSample() throws {
        guard FileManager.default.fileExists(atPath: "/proc/loadavg") else { return }
        let sample = try LoadSampler(paths: LoadSampler.Paths()).sample().sample
        #expect(sample.cpus >= 1)
        #expect(sample.memoryTotalBytes > 0)
        #expect(sample.memoryAvailableBytes <= sample.memoryTotalBytes)
        let report = sample.report(node: "n1", state: .active, simulated: false)
        #expect(try LoadReport(parsing: report.serialized()) == report)
    }
}
