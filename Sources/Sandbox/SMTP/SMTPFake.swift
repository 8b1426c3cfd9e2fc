import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// A mail exchanger for the sandbox and the tests, on one loopback port, that answers `RCPT TO` by the
/// recipient's domain the way real servers do: known and unknown users, a catch-all domain, greylisting
/// (the first try of each recipient refused for a while), a full mailbox, and a policy refusal. It takes no
/// mail: `DATA` is refused and counted, so a test can check a probe never sent it.
public final class SMTPFake: Sendable {
    /// What a domain's server does with recipients.
    public enum Behaviour: Sendable, Equatable {
        /// Accepts the listed local parts and refuses the rest as unknown users (550 5.1.1).
        case mailboxes(Set<String>)
        /// Accepts every local part.
        case catchAll
        /// Refuses each recipient's first try with 451 4.7.1, then behaves as `mailboxes`.
        case greylisting(Set<String>)
        /// Refuses every recipient as over quota (552 5.2.2).
        case full
        /// Refuses every recipient by policy (550 5.7.1), as a server that blocked the prober.
        case policy
    }

    /// The sandbox's mail domains, one per behaviour (the sandbox's DNS points them all at loopback).
    public static let sandboxDomains: [String: Behaviour] = [
        "deliverable.example": .mailboxes(["ada", "grace", "alan", "sales"]),
        "implicit-mx.example": .mailboxes(["grace"]),
        "catchall.example": .catchAll,
        "greylist.example": .greylisting(["ada"]),
        "full.example": .full,
        "policy.example": .policy,
    ]

    struct State {
        var greylisted: Set<String> = []
        var dataCommands = 0
        var conversations = 0
    }

    private let channel: any Channel
    private let state: NIOLockedValueBox<State>
    public let port: Int

    private init(channel: any Channel, state: NIOLockedValueBox<State>, port: Int) {
        self.channel = channel
        self.state = state
        self.port = port
    }

    /// How many `DATA` commands it was sent (a probe must send none) and conversations it had.
    public var dataCommands: Int { state.withLockedValue { $0.dataCommands } }
    public var conversations: Int { state.withLockedValue { $0.conversations } }

    public static func start(
        domains: [String: Behaviour] = sandboxDomains, host: String = "127.0.0.1", port: Int = 0,
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> SMTPFake {
        let state = NIOLockedValueBox(State())
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(Session(domains: domains, state: state))
                }
            }
            .bind(host: host, port: port).get()
        return SMTPFake(channel: channel, state: state, port: channel.localAddress?.port ?? port)
    }

    public func stop() async { try? await channel.close() }

    /// One client's conversation.
    final class Session: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = ByteBuffer
        typealias OutboundOut = ByteBuffer
        let domains: [String: Behaviour]
        let state: NIOLockedValueBox<State>
        // Touched on the channel's event loop only.
        private var received: [UInt8] = []

        init(domains: [String: Behaviour], state: NIOLockedValueBox<State>) {
            self.domains = domains
            self.state = state
        }

        func channelActive(context: ChannelHandlerContext) {
            state.withLockedValue { $0.conversations += 1 }
            write("220 sandbox.example ESMTP sandbox", context)
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            received += unwrapInboundIn(data).readableBytesView
            while let newline = received.firstIndex(of: 10) {
                var line = Array(received[..<newline])
                received.removeFirst(newline + 1)
                if line.last == 13 { line.removeLast() }
                answer(String(decoding: line, as: UTF8.self), context)
            }
            if received.count > 1000 {
                write("500 5.5.2 Line too long", context)
                context.close(promise: nil)
            }
        }

        func answer(_ line: String, _ context: ChannelHandlerContext) {
            let upper = line.uppercased()
            switch true {
            case upper.hasPrefix("EHLO "): write("250-sandbox.example\r\n250-PIPELINING\r\n250 8BITMIME", context)
            case upper.hasPrefix("HELO "): write("250 sandbox.example", context)
            case upper.hasPrefix("MAIL FROM:"): write("250 2.1.0 Ok", context)
            case upper.hasPrefix("RCPT TO:"): write(recipient(line.dropFirst(8)), context)
            case upper == "DATA":
                state.withLockedValue { $0.dataCommands += 1 }
                write("554 5.5.1 The sandbox takes no mail", context)
            case upper == "QUIT":
                write("221 2.0.0 Bye", context)
                context.close(promise: nil)
            case upper == "RSET", upper == "NOOP": write("250 2.0.0 Ok", context)
            default: write("502 5.5.2 Command not recognized", context)
            }
        }

        func recipient(_ argument: Substring) -> String {
            let address = String(argument.filter { $0 != " " && $0 != "<" && $0 != ">" }).lowercased()
            guard let at = address.lastIndex(of: "@") else { return "501 5.1.3 Bad recipient address syntax" }
            let local = String(address[..<at])
            let domain = String(address[address.index(after: at)...])
            let unknown = "550 5.1.1 <\(address)>: Recipient address rejected: User unknown in virtual mailbox table"
            switch domains[domain] {
            case nil: return "554 5.7.1 <\(address)>: Relay access denied"
            case .mailboxes(let known): return known.contains(local) ? "250 2.1.5 Ok" : unknown
            case .catchAll: return "250 2.1.5 Ok"
            case .full: return "552 5.2.2 <\(address)>: Mailbox full"
            case .policy: return "550 5.7.1 Service unavailable; client host blocked using a blocklist"
            case .greylisting(let known):
                let first = state.withLockedValue { $0.greylisted.insert(address).inserted }
                if first { return "451 4.7.1 <\(address)>: Recipient address rejected: Greylisted, try again later" }
                return known.contains(local) ? "250 2.1.5 Ok" : unknown
            }
        }

        func write(_ reply: String, _ context: ChannelHandlerContext) {
            context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: reply + "\r\n")), promise: nil)
        }
    }
}
