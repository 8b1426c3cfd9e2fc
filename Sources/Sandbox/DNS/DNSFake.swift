import NIOCore
import NIOPosix

/// A DNS server for the sandbox and the tests, on UDP and TCP at one loopback port, answering from a
/// `DNSZone`. Its wire format is written here, apart from the client's, so a mistake in one is not
/// repeated by the other.
public final class DNSFake: Sendable {
    private let udp: any Channel
    private let tcp: any Channel
    public let port: Int

    private init(udp: any Channel, tcp: any Channel, port: Int) {
        self.udp = udp
        self.tcp = tcp
        self.port = port
    }

    /// Starts serving `zone` on `host` at `port` (0: any free port, the same for UDP and TCP).
    public static func start(
        zone: DNSZone = .sandbox, host: String = "127.0.0.1", port: Int = 0,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> DNSFake {
        let udp = try await DatagramBootstrap(group: group)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(UDPHandler(zone: zone))
                }
            }
            .bind(host: host, port: port).get()
        let bound = udp.localAddress?.port ?? port
        let tcp = try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(TCPHandler(zone: zone))
                }
            }
            .bind(host: host, port: bound).get()
        return DNSFake(udp: udp, tcp: tcp, port: bound)
    }

    public func stop() async {
        try? await udp.close()
        try? await tcp.close()
    }

    final class UDPHandler: ChannelInboundHandler, Sendable {
        typealias InboundIn = AddressedEnvelope<ByteBuffer>
        typealias OutboundOut = AddressedEnvelope<ByteBuffer>
        let zone: DNSZone

        init(zone: DNSZone) { self.zone = zone }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let envelope = unwrapInboundIn(data)
            guard let reply = DNSFakeAnswer.reply(to: Array(buffer: envelope.data), zone: zone, overUDP: true) else {
                return
            }
            let out = AddressedEnvelope(remoteAddress: envelope.remoteAddress, data: ByteBuffer(bytes: reply))
            context.writeAndFlush(wrapOutboundOut(out), promise: nil)
        }
    }

    final class TCPHandler: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = ByteBuffer
        typealias OutboundOut = ByteBuffer
        let zone: DNSZone
        // Touched on the channel's event loop only.
        private var received = ByteBuffer()

        init(zone: DNSZone) { self.zone = zone }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            var chunk = unwrapInboundIn(data)
            received.writeBuffer(&chunk)
            guard received.readableBytes <= 65_537 else { return context.close(promise: nil) }
            while let length = received.getInteger(at: received.readerIndex, as: UInt16.self),
                received.readableBytes >= Int(length) + 2
            {
                received.moveReaderIndex(forwardBy: 2)
                let query = received.readBytes(length: Int(length)) ?? []
                guard let reply = DNSFakeAnswer.reply(to: query, zone: zone, overUDP: false) else { continue }
                var out = ByteBuffer()
                out.writeInteger(UInt16(reply.count))
                out.writeBytes(reply)
                context.writeAndFlush(wrapOutboundOut(out), promise: nil)
            }
        }
    }
}

/// The sandbox server's own reading of a query and writing of the answer (RFC 1035), names written in full.
enum DNSFakeAnswer {
    static func reply(to query: [UInt8], zone: DNSZone, overUDP: Bool) -> [UInt8]? {
        // Header (12 bytes), then one question: a name of plain labels, type, class.
        guard query.count >= 17, query[2] & 0x80 == 0 else { return nil }
        var offset = 12
        var labels: [String] = []
        while offset < query.count, query[offset] != 0 {
            let length = Int(query[offset])
            guard length <= 63, offset + 1 + length < query.count else { return nil }
            labels.append(String(decoding: query[(offset + 1)...(offset + length)], as: UTF8.self).lowercased())
            offset += 1 + length
        }
        guard offset + 5 <= query.count else { return nil }
        let questionEnd = offset + 5
        let type = UInt16(query[offset + 1]) << 8 | UInt16(query[offset + 2])
        let name = labels.joined(separator: ".")
        if zone.unanswered.contains(name) { return nil }
        let entry = zone.entries[name]
        var records: [[UInt8]] = []
        let truncated = overUDP && zone.truncatedOverUDP.contains(name)
        if let entry, !truncated {
            switch type {
            case 15: records = entry.mx.map { record(name, type: 15, data: u16($0.preference) + encode($0.exchange)) }
            case 1: records = entry.a.map { record(name, type: 1, data: $0) }
            case 28: records = entry.aaaa.map { record(name, type: 28, data: $0) }
            default: break
            }
        }
        var flags: UInt16 = 0x8180  // a response, recursion desired and available
        if truncated { flags |= 0x0200 }
        if entry == nil { flags |= 3 }  // NXDOMAIN
        var reply = Array(query[0..<2]) + u16(flags) + u16(1) + u16(UInt16(records.count)) + u16(0) + u16(0)
        reply += query[12..<questionEnd]
        for record in records { reply += record }
        return reply
    }

    static func record(_ name: String, type: UInt16, data: [UInt8]) -> [UInt8] {
        encode(name) + u16(type) + u16(1) + [0, 0, 1, 44] + u16(UInt16(data.count)) + data
    }

    static func encode(_ name: String) -> [UInt8] {
        var bytes: [UInt8] = []
        for label in name.split(separator: ".") {
            bytes.append(UInt8(label.utf8.count))
            bytes += label.utf8
        }
        return bytes + [0]
    }

    static func u16(_ value: UInt16) -> [UInt8] { [UInt8(value >> 8), UInt8(value & 0xFF)] }
}
