import Testing

@testable import HealthAgent

/// The /proc and /sys parsers, from text as the kernel writes it and from text it never would.
@Suite struct KernelParserTests {
    @Test func loadAveragesAreTheFirstThreeFieldsOfLoadavg() throws {
        let load = try LoadAverages(parsing: "0.55 1.18 1.21 2/86 8906\n")
        #expect(load == LoadAverages(one: 0.55, five: 1.18, fifteen: 1.21))
    }

    @Test(arguments: [
        ("", KernelTextError.empty),
        ("\n", .empty),
        ("0.55 1.18", .missingField("load15")),
        ("0.55 abc 1.21 2/86 8906", .notANumber(field: "load5", found: "abc")),
        ("-1 1.18 1.21 2/86 8906", .outOfRange(field: "load1", found: "-1")),
        ("nan 1.18 1.21 2/86 8906", .outOfRange(field: "load1", found: "nan")),
        ("inf 1.18 1.21 2/86 8906", .outOfRange(field: "load1", found: "inf")),
    ])
    func malformedLoadavgIsRefusedWithTheField(text: String, error: KernelTextError) {
        #expect(throws: error) { try LoadAverages(parsing: text) }
    }

    @Test func pressureIsSomeAvg10() throws {
        let text = "some avg10=1.66 avg60=6.53 avg300=13.72 total=289651874\nfull avg10=0.00 avg60=0.00 avg300=0.00 total=0\n"
        #expect(try PressureStall(parsing: text).someAverage10 == 1.66)
    }

    @Test func pressureWithoutAFullLineParses() throws {
        // CPU pressure before Linux 5.13 has only the `some` line.
        #expect(try PressureStall(parsing: "some avg10=0.00 avg60=0.00 avg300=0.00 total=0\n").someAverage10 == 0)
    }

    @Test(arguments: [
        ("", KernelTextError.empty),
        ("full avg10=0.00 avg60=0.00 avg300=0.00 total=0\n", .missingField("some")),
        ("some avg60=6.53 avg300=13.72 total=1\n", .missingField("some avg10")),
        ("some avg10=x avg60=6.53 avg300=13.72 total=1\n", .notANumber(field: "some avg10", found: "x")),
        ("some avg10=101.00 avg60=6.53 avg300=13.72 total=1\n", .outOfRange(field: "some avg10", found: "avg10=101.00")),
    ])
    func malformedPressureIsRefused(text: String, error: KernelTextError) {
        #expect(throws: error) { try PressureStall(parsing: text) }
    }

    @Test func memoryIsMemAvailableAndMemTotalInBytes() throws {
        let text = """
            MemTotal:       16318736 kB
            MemFree:          803204 kB
            MemAvailable:    9211064 kB
            Buffers:          297524 kB

            """
        let memory = try MemoryInfo(parsing: text)
        #expect(memory == MemoryInfo(totalBytes: 16_318_736 * 1024, availableBytes: 9_211_064 * 1024))
    }

    @Test(arguments: [
        ("", KernelTextError.empty),
        ("MemFree: 1 kB\nMemAvailable: 1 kB\n", .missingField("MemTotal")),
        ("MemTotal: 100 kB\nMemFree: 1 kB\n", .missingField("MemAvailable")),
        ("MemTotal: lots kB\nMemAvailable: 1 kB\n", .notANumber(field: "MemTotal", found: "lots")),
        ("MemTotal: 100 MB\nMemAvailable: 1 kB\n", .notANumber(field: "MemTotal", found: "MemTotal: 100 MB")),
        ("MemTotal: 0 kB\nMemAvailable: 0 kB\n", .outOfRange(field: "MemTotal", found: "0 kB")),
        ("MemTotal: 99999999999999999999 kB\nMemAvailable: 1 kB\n", .notANumber(field: "MemTotal", found: "99999999999999999999")),
        ("MemTotal: 18446744073709551615 kB\nMemAvailable: 1 kB\n", .outOfRange(field: "MemTotal", found: "18446744073709551615")),
        ("MemTotal: 100 kB\nMemAvailable: 200 kB\n", .outOfRange(field: "MemAvailable", found: "200 kB, above MemTotal 100 kB")),
    ])
    func malformedMeminfoIsRefused(text: String, error: KernelTextError) {
        #expect(throws: error) { try MemoryInfo(parsing: text) }
    }

    @Test(arguments: [("0\n", 1), ("0-3\n", 4), ("0,2-5,8\n", 6), ("0-63", 64)])
    func onlineCPUListsAreCounted(text: String, count: Int) throws {
        #expect(try OnlineCPUs(parsing: text).count == count)
    }

    @Test(arguments: ["", "\n", "a-b", "3-1", "0,,2", "-1", "0-3-5", "0-99999999"])
    func malformedCPUListsAreRefused(text: String) {
        #expect(throws: KernelTextError.self) { try OnlineCPUs(parsing: text) }
    }

    @Test func errorMessagesNameTheFieldAndQuoteTheGarbageShortly() {
        let long = String(repeating: "x", count: 100)
        let message = KernelTextError.notANumber(field: "MemTotal", found: long + "\u{1}").description
        #expect(message.hasPrefix("MemTotal is not a number: \"xxxx"))
        #expect(message.hasSuffix("...\""))
        #expect(message.count < 80)
    }
}
