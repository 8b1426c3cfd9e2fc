import LeadgenCore
import NIOCore
import NIOPosix

/// Asks a mail exchanger whether it would take mail for an address, without sending any: `EHLO`,
/// `MAIL FROM` with the probe address, `RCPT TO` for the address and for a made-up one at the same domain
/// (a catch-all server accepts both), then `QUIT`. Never `DATA`.
public struct SMTPProbe: Sendable {
    public struct Options: Sendable, Equatable {
        /// The port mail exchangers listen on: 25, another in tests (`LEADGEN_SMTP_PROBE_PORT`).
        public var port = 25
        /// The name this side gives in `EHLO`.
        public var heloName: String
        /// The envelope sender of the probe.
        public var mailFrom: String
        /// The whole conversation's time limit.
        public var timeout: TimeAmount = .seconds(30)
        /// Probes a second to one mail exchanger (`LEADGEN_SMTP_PROBE_RATE`).
        public var perExchangerPerSecond: Double = 1
        /// How long an exchanger that greylisted or was busy is left alone, in seconds.
        public var backOff: Double = 60

        public init(
            heloName: String, mailFrom: String, port: Int = 25, timeout: TimeAmount = .seconds(30),
            perExchangerPerSecond: Double = 1, backOff: Double = 60
        ) {
            self.heloName = heloName
            self.mailFrom = mailFrom
            self.port = port
            self.timeout = timeout
            self.perExchangerPerSecond = perExchangerPerSecond
            self.backOff = backOff
        }
    }

    public enum Failure: Error, Sendable, Equatable, CustomStringConvertible {
        case timedOut(host: String)
        case closed(host: String)
        case unexpected(host: String, step: String, reply: SMTPReply)
        case unreadable(host: String, String)

        public var description: String {
            switch self {
            case .timedOut(let host): "the mail server \(host) did not answer in time"
            case .closed(let host): "the mail server \(host) closed the connection"
            case .unexpected(let host, let step, let reply): "the mail server \(host) answered \(step) with \(reply)"
            case .unreadable(let host, let reason): "\(host): \(reason)"
            }
        }
    }

    let options: Options
    /// A local part no one has, for the catch-all check: random in production, fixed in tests.
    let madeUpLocalPart: @Sendable () -> String
    let group: any EventLoopGroup

    public init(
        options: Options, madeUpLocalPart: @escaping @Sendable () -> String,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) {
        self.options = options
        self.madeUpLocalPart = madeUpLocalPart
        self.group = group
    }

    /// Probes `address` at the exchanger reached at `ip` (named `host` in messages).
    public func probe(_ address: EmailAddress, at ip: String, host: String) async throws -> MailboxProbe {
        let options = self.options
        let madeUp = "\(madeUpLocalPart())@\(address.domain)"
        let channel = try await ClientBootstrap(group: group)
            .connectTimeout(options.timeout)
            .connect(to: try SocketAddress(ipAddress: ip, port: options.port)) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        let result = try await channel.executeThenClose { inbound, outbound in
            try await withDeadline(options.timeout) { () async throws -> MailboxProbe? in
                var conversation = Conversation(host: host, inbound: inbound.makeAsyncIterator(), outbound: outbound)
                try await conversation.expect(220, after: nil, step: "the connection")
                var hello = try await conversation.say("EHLO \(options.heloName)")
                if !hello.isPositive { hello = try await conversation.say("HELO \(options.heloName)") }
                guard hello.isPositive else { throw Failure.unexpected(host: host, step: "EHLO", reply: hello) }
                let from = try await conversation.say("MAIL FROM:<\(options.mailFrom)>")
                guard from.isPositive else {
                    return from.isTransient ? .temporary(from) : .refusedProbe(from)
                }
                let rcpt = try await conversation.say("RCPT TO:<\(address.value)>")
                let other = rcpt.isPositive ? try await conversation.say("RCPT TO:<\(madeUp)>") : nil
                try? await conversation.send("QUIT")
                return MailboxProbe.classify(address: rcpt, madeUp: other)
            }
        }
        guard let result else { throw Failure.timedOut(host: host) }
        return result
    }

    /// One SMTP conversation: commands out, replies in.
    struct Conversation {
        let host: String
        var inbound: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
        let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
        var reader = SMTPReplyReader()

        mutating func send(_ command: String) async throws {
            try await outbound.write(ByteBuffer(string: command + "\r\n"))
        }

        mutating func say(_ command: String) async throws -> SMTPReply {
            try await send(command)
            return try await reply()
        }

        mutating func expect(_ code: Int, after command: String?, step: String) async throws {
            let answer = try await reply()
            guard answer.code == code else { throw Failure.unexpected(host: host, step: step, reply: answer) }
        }

        mutating func reply() async throws -> SMTPReply {
            while true {
                do {
                    if let reply = try reader.next() { return reply }
                } catch {
                    throw Failure.unreadable(host: host, error.description)
                }
                guard let chunk = try await inbound.next() else { throw Failure.closed(host: host) }
                reader.feed(chunk.readableBytesView)
            }
        }
    }
}
