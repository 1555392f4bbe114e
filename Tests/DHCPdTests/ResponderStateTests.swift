import ClusterCore
import Testing

@testable import DHCPd

/// RFC 2131 §4.3: what each kind of request gets, and where the reply goes.
struct ResponderStateTests {
    typealias F = ResponderFixture

    @Test func aDiscoverFromAKnownClientGetsAnOfferOfItsBindingNamingThisServer() throws {
        let (offer, destination) = try #require(F.answer(F.request(.discover, broadcast: true)))
        #expect(offer.options.messageType == .offer)
        #expect(offer.op == DHCPMessage.bootReply)
        #expect(offer.xid == 0x1234_5678)
        #expect(offer.yiaddr == F.address)
        #expect(offer.siaddr == F.interface.address)
        #expect(offer.options.serverIdentifier == F.interface.address)
        #expect(offer.options.subnetMask == IPv4Address(255, 255, 255, 0))
        #expect(offer.options.leaseTime == 43_200)
        #expect(offer.options.renewalTime == 21_600)
        #expect(offer.options.rebindingTime == 37_800)
        #expect(offer.options.rootPath == "10.9.0.1:/srv/ltsp/x86_64")
        #expect(offer.options.tftpServerName == "10.9.0.1")
        #expect(String(decoding: offer.file, as: UTF8.self) == "ltsp/undionly.kpxe")
        #expect(offer.options.hostName == "tc50")
        #expect(destination == .broadcast)
    }

    @Test func anUnknownClientGetsNothingWhateverItSends() {
        for type in [DHCPMessageType.discover, .request, .inform] {
            #expect(F.ignoreReason(F.request(type, mac: F.unknownMAC) { $0.requestedIPAddress = F.address }) == .unknownClient)
        }
    }

    @Test func selectingThisServerIsAcknowledged() throws {
        let request = F.request(.request, broadcast: true) {
            $0.serverIdentifier = F.interface.address
            $0.requestedIPAddress = F.address
        }
        let (ack, destination) = try #require(F.answer(request))
        #expect(ack.options.messageType == .ack)
        #expect(ack.yiaddr == F.address)
        #expect(destination == .broadcast)
    }

    @Test func selectingAnotherServerIsIgnoredNotRefused() {
        let request = F.request(.request) {
            $0.serverIdentifier = IPv4Address(10, 9, 0, 2)
            $0.requestedIPAddress = F.address
        }
        #expect(F.ignoreReason(request) == .otherServerSelected)
    }

    @Test func initRebootWithTheRightAddressIsAcknowledgedByAnyServer() throws {
        let (ack, _) = try #require(F.answer(F.request(.request) { $0.requestedIPAddress = F.address }))
        #expect(ack.options.messageType == .ack)
    }

    @Test func initRebootWithAWrongAddressGetsABroadcastNAK() throws {
        let (nak, destination) = try #require(F.answer(F.request(.request) { $0.requestedIPAddress = IPv4Address(10, 9, 0, 77) }))
        #expect(nak.options.messageType == .nak)
        #expect(nak.yiaddr == .any && nak.siaddr == .any)
        #expect(nak.options.serverIdentifier == F.interface.address)
        #expect(nak.options.leaseTime == nil && nak.options.rootPath == nil)
        #expect(destination == .broadcast)
    }

    @Test func aClientAskingForAnAddressOnAnotherSubnetIsRefused() throws {
        let (nak, _) = try #require(F.answer(F.request(.request) { $0.requestedIPAddress = IPv4Address(192, 168, 7, 50) }))
        #expect(nak.options.messageType == .nak)
    }

    @Test func renewingIsAcknowledgedByUnicastToTheClient() throws {
        let (ack, destination) = try #require(F.answer(F.request(.request, ciaddr: F.address)))
        #expect(ack.options.messageType == .ack)
        #expect(ack.ciaddr == F.address)
        #expect(destination == .client(F.address))
    }

    @Test func rebindingWithAWrongAddressIsRefusedByBroadcast() throws {
        let (nak, destination) = try #require(F.answer(F.request(.request, ciaddr: IPv4Address(10, 9, 0, 60))))
        #expect(nak.options.messageType == .nak)
        #expect(destination == .broadcast)
    }

    @Test func aRequestInNoStateIsIgnored() {
        #expect(F.ignoreReason(F.request(.request)) == .malformedRequest)
    }

    @Test func informGetsParametersWithoutALease() throws {
        let (ack, destination) = try #require(F.answer(F.request(.inform, ciaddr: F.address)))
        #expect(ack.options.messageType == .ack)
        #expect(ack.yiaddr == .any)
        #expect(ack.options.leaseTime == nil)
        #expect(ack.options.rootPath != nil)
        #expect(destination == .client(F.address))
    }

    @Test func releaseAndDeclineAreNotedNotAnswered() {
        #expect(F.ignoreReason(F.request(.release, ciaddr: F.address)) == .release)
        #expect(F.ignoreReason(F.request(.decline) { $0.requestedIPAddress = F.address }) == .decline)
    }

    @Test func serverMessagesRepliesAndBOOTPAreIgnored() {
        #expect(F.ignoreReason(F.request(.offer)) == .notARequest)
        #expect(F.ignoreReason(F.request(.ack)) == .notARequest)
        var reply = F.request(.discover)
        reply.op = DHCPMessage.bootReply
        #expect(F.ignoreReason(reply) == .notARequest)
        var bootp = F.request(.discover)
        bootp.options.messageType = nil
        #expect(F.ignoreReason(bootp) == .bootp)
        var tokenRing = F.request(.discover)
        tokenRing.htype = 6
        #expect(F.ignoreReason(tokenRing) == .notEthernet)
    }

    @Test func aBindingOffTheInterfacesSubnetIsNotOffered() {
        let elsewhere = BindingTable(bindings: [BindingTable.Key(F.knownMAC)!: .init(address: IPv4Address(10, 8, 0, 5), hostname: "x")])
        let outcome = F.responder().respond(to: F.request(.discover), on: F.interface, table: elsewhere)
        #expect(outcome == .ignore(.offSubnet))
    }

    @Test func theClientIdentifierSelectsTheBindingAndIsEchoed() throws {
        // chaddr says unknown, the Ethernet client identifier says known.
        let request = F.request(.discover, mac: F.unknownMAC) { $0.clientIdentifier = [1] + F.knownMAC }
        let (offer, _) = try #require(F.answer(request))
        #expect(offer.yiaddr == F.address)
        #expect(offer.options.clientIdentifier == [1] + F.knownMAC)
        #expect(offer.chaddr.prefix(6).elementsEqual(F.unknownMAC))
    }
}
