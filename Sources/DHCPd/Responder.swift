import ClusterCore

/// The DHCP server's decisions, with no I/O: given a parsed request, the interface it came in
/// on and the current bindings, what to answer and where (RFC 2131 §4.3).
///
/// Every server of the cluster holds the same static bindings, so each answers every known
/// client the same way and any of them can confirm a lease another one gave: that is what
/// lets a client rebind with a surviving server.
struct Responder: Sendable {
    enum Outcome: Sendable, Equatable {
        case reply(DHCPMessage, to: ReplyDestination, maximumSize: UInt16)
        case ignore(IgnoreReason)
    }

    let policy: ReplyPolicy

    func respond(to request: DHCPMessage, on interface: ServingInterface, table: BindingTable) -> Outcome {
        guard request.op == DHCPMessage.bootRequest else { return .ignore(.notARequest) }
        guard let type = request.options.messageType else { return .ignore(.bootp) }
        guard let mac = clientMAC(of: request) else { return .ignore(.notEthernet) }
        switch type {
        case .discover, .request, .inform, .release, .decline: break
        default: return .ignore(.notARequest)
        }
        guard let binding = table.binding(for: mac) else { return .ignore(.unknownClient) }
        let subnet: IPv4Subnet
        if request.giaddr != .any {
            guard let relayed = policy.relaySubnets.first(where: { $0.contains(request.giaddr) }) else {
                return .ignore(.unknownRelaySubnet)
            }
            subnet = relayed
        } else {
            subnet = interface.subnet
        }
        let onSubnet = subnet.contains(binding.address)

        switch type {
        case .discover:
            guard onSubnet else { return .ignore(.offSubnet) }
            return reply(.offer, to: request, binding: binding, subnet: subnet, interface: interface, table: table)
        case .request:
            return answerRequest(request, binding: binding, onSubnet: onSubnet, subnet: subnet, interface: interface, table: table)
        case .inform:
            // The client configured its address itself and asks only for parameters.
            return reply(.ack, to: request, binding: binding, subnet: subnet, interface: interface, table: table, inform: true)
        case .release:
            return .ignore(.release)
        default:
            return .ignore(.decline)
        }
    }

    /// RFC 2131 §4.3.2: the client's state is told by which of server identifier, requested
    /// address and `ciaddr` it sent.
    private func answerRequest(_ request: DHCPMessage, binding: BindingTable.Binding, onSubnet: Bool, subnet: IPv4Subnet,
                               interface: ServingInterface, table: BindingTable) -> Outcome {
        let requested = request.options.requestedIPAddress
        let claimed: IPv4Address
        if let serverID = request.options.serverIdentifier {
            // SELECTING: answering an OFFER. Another server's OFFER was chosen: stay silent.
            guard serverID == interface.address else { return .ignore(.otherServerSelected) }
            claimed = requested ?? request.ciaddr
        } else if let requested, request.ciaddr == .any {
            claimed = requested          // INIT-REBOOT
        } else if request.ciaddr != .any {
            claimed = request.ciaddr     // RENEWING (unicast) or REBINDING (broadcast)
        } else {
            return .ignore(.malformedRequest)
        }
        guard onSubnet, claimed == binding.address else {
            return nak(request, interface: interface)
        }
        return reply(.ack, to: request, binding: binding, subnet: subnet, interface: interface, table: table)
    }

    /// The MAC the binding is looked up by: the client identifier when it is an Ethernet
    /// address (type 1, RFC 2132 §9.14), else `chaddr`.
    private func clientMAC(of request: DHCPMessage) -> [UInt8]? {
        if let identifier = request.options.clientIdentifier, identifier.count == 7, identifier[0] == 1 {
            return Array(identifier[1...])
        }
        return request.macAddress
    }

    private func reply(_ type: DHCPMessageType, to request: DHCPMessage, binding: BindingTable.Binding, subnet: IPv4Subnet,
                       interface: ServingInterface, table: BindingTable, inform: Bool = false) -> Outcome {
        let server = interface.address
        let boot = table.bootSettings(profile: binding.profile, fallback: policy.boot)
        let bootFile = boot.bootFile(for: request.options).map { BootSettings.expand($0, server: server) }
        let requested = Set(request.options.parameterRequestList ?? [])
        let sendAll = request.options.parameterRequestList == nil
        func wanted(_ code: DHCPOptionCode) -> Bool { sendAll || requested.contains(code) }

        var options = DHCPOptions()
        options.messageType = type
        options.serverIdentifier = server
        if !inform {
            options.leaseTime = policy.leaseSeconds
            options.renewalTime = policy.renewalSeconds
            options.rebindingTime = policy.rebindingSeconds
        }
        options.subnetMask = subnet.mask
        let routers = request.giaddr != .any ? [request.giaddr] : policy.routers
        if wanted(.router), !routers.isEmpty { options.routers = routers }
        if wanted(.domainNameServer), !policy.dnsServers.isEmpty { options.domainNameServers = policy.dnsServers }
        if wanted(.hostName) { options.hostName = binding.hostname }
        if wanted(.domainName), !policy.domainName.isEmpty { options.domainName = policy.domainName }
        if wanted(.rootPath), let rootPath = boot.rootPath { options.rootPath = BootSettings.expand(rootPath, server: server) }
        if wanted(.tftpServerName) { options.tftpServerName = server.description }
        if wanted(.bootFileName), let bootFile { options.bootFileName = bootFile }
        if policy.loadBalancerOption != 0, !table.loadBalancers.isEmpty {
            let code = DHCPOptionCode(policy.loadBalancerOption)
            if wanted(code) { options[code] = table.loadBalancers.flatMap(\.bytes) }
        }
        // RFC 6842: the client identifier is echoed; RFC 3046 §2.2: so is the relay's option 82.
        if let identifier = request.options.clientIdentifier { options[.clientIdentifier] = identifier }
        if let relayInformation = request.options.relayAgentInformation, request.giaddr != .any {
            options[.relayAgentInformation] = relayInformation
        }

        let message = DHCPMessage(
            op: DHCPMessage.bootReply, htype: request.htype, hlen: request.hlen, hops: 0, xid: request.xid, secs: 0,
            flags: request.flags, ciaddr: request.ciaddr, yiaddr: inform ? .any : binding.address, siaddr: server,
            giaddr: request.giaddr, chaddr: request.chaddr, file: Array((bootFile ?? "").utf8), options: options
        )
        let destination = ReplyDestination.of(request, isNAK: false)
        return .reply(message, to: destination, maximumSize: maximumSize(of: request))
    }

    /// RFC 2131 table 3: a NAK carries only type, server identifier and (echoed) client id;
    /// relayed NAKs get the broadcast bit so the relay broadcasts them on the client's subnet.
    private func nak(_ request: DHCPMessage, interface: ServingInterface) -> Outcome {
        var options = DHCPOptions()
        options.messageType = .nak
        options.serverIdentifier = interface.address
        if let identifier = request.options.clientIdentifier { options[.clientIdentifier] = identifier }
        if let relayInformation = request.options.relayAgentInformation, request.giaddr != .any {
            options[.relayAgentInformation] = relayInformation
        }
        var message = DHCPMessage(
            op: DHCPMessage.bootReply, htype: request.htype, hlen: request.hlen, xid: request.xid,
            flags: request.flags, giaddr: request.giaddr, chaddr: request.chaddr, options: options
        )
        if request.giaddr != .any { message.isBroadcast = true }
        return .reply(message, to: ReplyDestination.of(request, isNAK: true), maximumSize: maximumSize(of: request))
    }

    /// The client's option 57, or 576, the size every client accepts (RFC 2131 §2); capped at
    /// 1500 so a reply never needs IP fragmentation on Ethernet.
    private func maximumSize(of request: DHCPMessage) -> UInt16 {
        min(max(request.options.maximumMessageSize ?? 576, 576), 1500)
    }
}
