public enum ClusterCoreVersion { public static let string = "0.1.0" }
