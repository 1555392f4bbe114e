import Testing

/// Every multi-process test runs one at a time: they start several daemons each, and running
/// them side by side on a 2-core machine would measure the scheduler instead of ThinCluster.
@Suite(.serialized) enum IntegrationSuite {}
