import Testing

@testable import TFTPd

struct TransferRegistryTests {
    @Test func limitsPerClientAndInTotalAndFreesSlots() {
        let registry = TransferRegistry(maximum: 3, maximumPerClient: 2)
        #expect(registry.reserve("10.0.0.1") == nil)
        #expect(registry.reserve("10.0.0.1") == nil)
        #expect(registry.reserve("10.0.0.1") == .clientBusy)
        #expect(registry.reserve("10.0.0.2") == nil)
        #expect(registry.reserve("10.0.0.3") == .serverBusy)
        registry.release("10.0.0.1")
        #expect(registry.reserve("10.0.0.3") == nil)
        #expect(registry.active == 3)
    }
}
