// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "ThinCluster",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "ClusterCore", targets: ["ClusterCore"]),
        .executable(name: "tc-dhcpd", targets: ["DHCPd"]),
        .executable(name: "tc-tftpd", targets: ["TFTPd"]),
        .executable(name: "tc-healthd", targets: ["HealthAgent"]),
        .executable(name: "tc-lbd", targets: ["LoadBalancer"]),
        .executable(name: "tcctl", targets: ["ClusterCtl"]),
        .executable(name: "tc-login", targets: ["TCLogin"]),
        .executable(name: "tc-bench-directory", targets: ["DirectoryBenchmark"]),
        .executable(name: "tc-bench-login", targets: ["LoginStormBenchmark"]),
        .executable(name: "tc-bench-tftp-storm", targets: ["TFTPStormBenchmark"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/jpsim/Yams.git", from: "6.2.2"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
    ],
    targets: [
        .target(
            name: "ClusterCore",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .target(
            name: "DaemonSupport",
            dependencies: [
                "ClusterCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(name: "DHCPd", dependencies: daemonDependencies),
        // epoll, eventfd and sendmmsg, which Glibc's Swift module does not export.
        .target(name: "CLinuxEvents"),
        .executableTarget(name: "TFTPd", dependencies: daemonDependencies + ["CLinuxEvents"]),
        .executableTarget(name: "HealthAgent", dependencies: daemonDependencies),
        .executableTarget(name: "LoadBalancer", dependencies: daemonDependencies),
        .executableTarget(name: "TCLogin", dependencies: daemonDependencies),
        .executableTarget(
            name: "ClusterCtl",
            dependencies: [
                "ClusterCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "DirectoryBenchmark",
            dependencies: ["ClusterCore"],
            path: "Benchmarks/DirectoryBenchmark"
        ),
        .executableTarget(
            name: "LoginStormBenchmark",
            dependencies: ["ClusterCore"],
            path: "Benchmarks/LoginStorm"
        ),
        .executableTarget(
            name: "TFTPStormBenchmark",
            dependencies: ["CLinuxEvents", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            path: "Benchmarks/TFTPStorm"
        ),
        .testTarget(
            name: "ClusterCoreTests",
            dependencies: [
                "ClusterCore",
                "ClusterTestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
            ],
            exclude: ["Fixtures"]
        ),
        // What the multi-process tests share: child processes, the built tools, their output.
        .target(name: "ClusterTestSupport", path: "Tests/Support"),
        .testTarget(
            name: "ClusterCtlTests",
            dependencies: ["ClusterCore", "ClusterTestSupport"]
        ),
        .testTarget(name: "HealthAgentTests", dependencies: ["HealthAgent", "ClusterCore", "ClusterTestSupport", .product(name: "NIOCore", package: "swift-nio")]),
        .testTarget(name: "LoadBalancerTests", dependencies: ["LoadBalancer", "ClusterCore"]),
        .testTarget(name: "DHCPdTests", dependencies: ["DHCPd", "ClusterCore"]),
        .testTarget(name: "TFTPdTests", dependencies: ["TFTPd", "ClusterCore", .product(name: "NIOCore", package: "swift-nio")]),
        .testTarget(name: "TCLoginTests", dependencies: ["TCLogin", "ClusterCore", "ClusterTestSupport"]),
        // libFuzzer target over the DHCP parser: scripts/fuzz-dhcp builds it with -sanitize=fuzzer.
        .executableTarget(name: "DHCPFuzzer", dependencies: ["ClusterCore", .product(name: "NIOCore", package: "swift-nio")], path: "FuzzTesting/DHCPFuzzer"),
        .executableTarget(name: "TFTPFuzzer", dependencies: ["ClusterCore", .product(name: "NIOCore", package: "swift-nio")], path: "FuzzTesting/TFTPFuzzer"),
        .testTarget(
            name: "IntegrationTests",
            dependencies: [
                "ClusterCore",
                "ClusterTestSupport",
                .product(name: "NIOPosix", package: "swift-nio"),
            ]
        ),
    ]
)

/// Every daemon shares the same foundation: the core library, argument parsing, logging and a
/// service group for start-up and graceful shutdown.
var daemonDependencies: [Target.Dependency] {
    [
        "ClusterCore",
        "DaemonSupport",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
        .product(name: "Logging", package: "swift-log"),
        .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        .product(name: "NIOCore", package: "swift-nio"),
        .product(name: "Prometheus", package: "swift-prometheus"),
    ]
}
