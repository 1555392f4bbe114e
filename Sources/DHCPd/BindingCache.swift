import ClusterCore
import Logging

/// The binding table the packet path reads, kept current from the node's directory replica:
/// a `DirectoryFollower` of `BindingTable`s that counts and logs its reloads.
enum BindingCache {
    static func make(path: String, interval: Duration, metrics: DHCPMetrics, logger: Logger) -> DirectoryFollower<BindingTable> {
        DirectoryFollower(
            path: path, interval: interval, empty: BindingTable(), logger: logger,
            build: { directory in try BindingTable(directory: directory) },
            loaded: { table, changed in
                metrics.loaded(bindings: table.count)
                if changed || table.revision == 0 {
                    logger.info("bindings loaded", metadata: [
                        "bindings": "\(table.count)", "loadBalancers": "\(table.loadBalancers.count)", "commit": "\(table.revision)",
                    ])
                }
            },
            failed: { metrics.reloadFailed() }
        )
    }
}
