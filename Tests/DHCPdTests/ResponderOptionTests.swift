import ClusterCore
import Testing

@testable import DHCPd

/// What a reply carries: options by parameter request list, boot files by firmware, profiles,
/// relays and the load-balancer option.
struct ResponderOptionTests {
    typealias F = ResponderFixture

    @Test func onlyRequestedOptionsBesidesTheMandatoryOnesAreSent() throws {
        let request = F.request(.discover) { $0.parameterRequestList = [.subnetMask, .router, .hostName] }
        let (offer, _) = try #require(F.answer(request))
        let codes = Set(offer.options.map(\.code.rawValue))
        #expect(codes == [53, 54, 51, 58, 59, 1, 12])
        // The BOOTP fields that PXE firmware reads are always set.
        #expect(offer.siaddr == F.interface.address)
        #expect(!offer.file.isEmpty)
    }

    @Test func theLoadBalancerOptionCarriesTheBalancersWhenAsked() throws {
        let request = F.request(.discover) { $0.parameterRequestList = [DHCPOptionCode(224)] }
        let (offer, _) = try #require(F.answer(request))
        #expect(offer.options[DHCPOptionCode(224)] == [10, 9, 0, 1, 10, 9, 0, 2])
        let off = F.responder { $0.loadBalancerOption = 0 }
        let (plain, _) = try #require(F.answer(F.request(.discover), responder: off))
        #expect(plain.options[DHCPOptionCode(224)] == nil)
    }

    @Test func firmwareGetsTheLoaderForItsArchitectureAndIPXEItsScript() throws {
        func file(_ options: @escaping (inout DHCPOptions) -> Void) throws -> String {
            let (offer, _) = try #require(F.answer(F.request(.discover, options)))
            #expect(offer.options.bootFileName == nil || offer.options.bootFileName == String(decoding: offer.file, as: UTF8.self))
            return String(decoding: offer.file, as: UTF8.self)
        }
        #expect(try file { $0.clientSystemArchitectures = [.x86BIOS] } == "ltsp/undionly.kpxe")
        #expect(try file { $0.clientSystemArchitectures = [.efiX86_64] } == "ltsp/snponly.efi")
        #expect(try file { $0.clientSystemArchitectures = [.efiBC] } == "ltsp/snponly.efi")
        #expect(try file { $0.clientSystemArchitectures = [.efiARM64] } == "ltsp/snponly-arm64.efi")
        #expect(try file {
            $0.clientSystemArchitectures = [.efiX86_64]
            $0[.userClass] = Array("iPXE".utf8)
        } == "ltsp/ltsp.ipxe")
        let urlScript = F.responder { $0.bootFileIPXE = "http://{server}/ltsp/ltsp.ipxe" }
        let (offer, _) = try #require(F.answer(F.request(.discover) { $0[.userClass] = Array("iPXE".utf8) }, responder: urlScript))
        #expect(String(decoding: offer.file, as: UTF8.self) == "http://10.9.0.1/ltsp/ltsp.ipxe")
    }

    @Test func aProfilesDirectorySettingsOverrideTheNodeDefaults() throws {
        let (offer, _) = try #require(F.answer(F.request(.discover, mac: F.kioskMAC)))
        #expect(String(decoding: offer.file, as: UTF8.self) == "kiosk/pxelinux.0")
        #expect(offer.options.rootPath == "10.9.0.1:/srv/kiosk")
        // Fields the profile leaves unset fall back to the node's configuration.
        let (uefi, _) = try #require(F.answer(F.request(.discover, mac: F.kioskMAC) { $0.clientSystemArchitectures = [.efiX86_64] }))
        #expect(String(decoding: uefi.file, as: UTF8.self) == "ltsp/snponly.efi")
    }

    @Test func relayedRequestsAreAnsweredToTheRelayWithItsOption82() throws {
        let relay = IPv4Address(10, 20, 0, 1)
        let table = BindingTable(bindings: [BindingTable.Key(F.knownMAC)!: .init(address: IPv4Address(10, 20, 0, 9), hostname: "far")])
        let responder = F.responder { $0.relaySubnets = ["10.20.0.0/24"] }
        let request = F.request(.discover, giaddr: relay) { $0[.relayAgentInformation] = [1, 3, 0x61, 0x62, 0x63] }
        let (offer, destination) = try #require(F.answer(request, responder: responder, table: table))
        #expect(destination == .relay(relay))
        #expect(offer.giaddr == relay)
        #expect(offer.options.routers == [relay])
        #expect(offer.options.relayAgentInformation == [1, 3, 0x61, 0x62, 0x63])
        // From a subnet not configured: silence.
        let stranger = F.request(.discover, giaddr: IPv4Address(10, 30, 0, 1))
        #expect(responder.respond(to: stranger, on: F.interface, table: table) == .ignore(.unknownRelaySubnet))
    }

    @Test func configuredTimesRoutersAndDNSAreSent() throws {
        let responder = F.responder {
            $0.leaseSeconds = 600
            $0.renewalSeconds = 10
            $0.rebindingSeconds = 20
            $0.routers = ["10.9.0.254"]
            $0.dnsServers = ["10.9.0.53"]
            $0.domainName = "school.example"
        }
        let (ack, _) = try #require(F.answer(F.request(.request) { $0.requestedIPAddress = F.address }, responder: responder))
        #expect(ack.options.leaseTime == 600 && ack.options.renewalTime == 10 && ack.options.rebindingTime == 20)
        #expect(ack.options.routers == [IPv4Address(10, 9, 0, 254)])
        #expect(ack.options.domainNameServers == [IPv4Address(10, 9, 0, 53)])
        #expect(ack.options.domainName == "school.example")
    }

    @Test func derivedRenewalAndRebindingTimesStayOrdered() {
        var section = DHCPSection()
        section.leaseSeconds = 100
        section.renewalSeconds = 90
        let policy = ReplyPolicy(section: section)
        #expect(policy.renewalSeconds == 90)
        #expect(policy.rebindingSeconds > 90 && policy.rebindingSeconds < 100)
    }
}
