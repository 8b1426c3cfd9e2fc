import LeadgenCore
import NIOCore
import NIOPosix

/// Asks one DNS server a question: over UDP, and again over TCP when the answer came back truncated
/// (RFC 7766). Each UDP attempt waits `timeout`; a reply from another address or with another id is
/// ignored, as a spoofed one would be.
public struct DNSClient: Sendable {
    /// The server asked; nil only when none was configured and none could be found.
    public let server: DNSServerAddress?
    public let timeout: TimeAmount
    public let attempts: Int
    private let nextID: @Sendable () -> UInt16
    private let group: any EventLoopGroup

    /// `nextID` gives each query its id: unpredictable in production (it is the only thing a spoofed
    /// answer must guess), fixed in tests.
    public init(
        server: DNSServerAddress?, timeout: TimeAmount = .seconds(3), attempts: Int = 2,
        nextID: @escaping @Sendable () -> UInt16, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) {
        self.server = server
        self.timeout = timeout
        self.attempts = max(1, min(attempts, 5))
        self.nextID = nextID
        self.group = group
    }

    public enum Failure: Error, Sendable, Equatable, CustomStringConvertible {
        case timedOut(server: String)
        case unreadable(String)
        case noServer

        public var description: String {
            switch self {
            case .timedOut(let server): "the DNS server \(server) did not answer"
            case .unreadable(let reason): reason
            case .noServer: "no DNS server is configured (LEADGEN_DNS_SERVER) or listed in /etc/resolv.conf"
            }
        }
    }

    /// The server's answer to `name` and `type`.
    public func lookup(_ name: String, _ type: DNSMessage.RecordType) async throws -> DNSMessage.Response {
        let id = nextID()
        let query = try DNSMessage.query(id: id, name: name, type: type)
        guard let server else { throw Failure.noServer }
        let address = try SocketAddress(ipAddress: server.host, port: server.port)
        for _ in 0..<attempts {
            guard let response = try await askOverUDP(query, id: id, to: address) else { continue }
            return response.truncated ? try await askOverTCP(query, id: id, to: address) : response
        }
        throw Failure.timedOut(server: server.description)
    }

    private func askOverUDP(_ query: [UInt8], id: UInt16, to server: SocketAddress) async throws -> DNSMessage.Response?
    {
        let channel = try await DatagramBootstrap(group: group)
            .bind(host: server.protocol == .inet6 ? "::" : "0.0.0.0", port: 0) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<AddressedEnvelope<ByteBuffer>, AddressedEnvelope<ByteBuffer>>(
                        wrappingChannelSynchronously: channel)
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            try await outbound.write(AddressedEnvelope(remoteAddress: server, data: ByteBuffer(bytes: query)))
            return try await withDeadline(timeout) {
                for try await envelope in inbound where envelope.remoteAddress == server {
                    guard let response = try? DNSMessage.parse(Array(buffer: envelope.data)), response.id == id
                    else { continue }
                    return response
                }
                return nil
            }
        }
    }

    private func askOverTCP(_ query: [UInt8], id: UInt16, to server: SocketAddress) async throws -> DNSMessage.Response
    {
        let channel = try await ClientBootstrap(group: group)
            .connectTimeout(timeout)
            .connect(to: server) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        let reply = try await channel.executeThenClose { inbound, outbound in
            var framed = ByteBuffer()
            framed.writeInteger(UInt16(query.count))
            framed.writeBytes(query)
            try await outbound.write(framed)
            return try await withDeadline(timeout) {
                var received = ByteBuffer()
                for try await chunk in inbound {
                    received.writeImmutableBuffer(chunk)
                    guard received.readableBytes > 65_537 else {
                        if let length = received.getInteger(at: received.readerIndex, as: UInt16.self),
                            received.readableBytes >= Int(length) + 2
                        {
                            return received.getBytes(at: received.readerIndex + 2, length: Int(length))
                        }
                        continue
                    }
                    throw Failure.unreadable("the DNS server sent more than one message's worth over TCP")
                }
                return nil
            }
        }
        guard let reply else { throw Failure.timedOut(server: self.server?.description ?? "") }
        let response = try DNSMessage.parse(reply)
        guard response.id == id else { throw Failure.unreadable("the DNS server answered another question over TCP") }
        return response
    }
}
