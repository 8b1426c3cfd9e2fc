/// What the sandbox's DNS server knows: for each name its MX, A and AAAA records, and names it answers
/// oddly on purpose (truncated over UDP, or never). Any other name does not exist (NXDOMAIN).
public struct DNSZone: Sendable {
    public struct Entry: Sendable, Equatable {
        public var mx: [(preference: UInt16, exchange: String)]
        public var a: [[UInt8]]
        public var aaaa: [[UInt8]]

        public init(mx: [(preference: UInt16, exchange: String)] = [], a: [[UInt8]] = [], aaaa: [[UInt8]] = []) {
            self.mx = mx
            self.a = a
            self.aaaa = aaaa
        }

        public static func == (l: Entry, r: Entry) -> Bool {
            l.mx.map(\.preference) == r.mx.map(\.preference) && l.mx.map(\.exchange) == r.mx.map(\.exchange)
                && l.a == r.a && l.aaaa == r.aaaa
        }
    }

    public var entries: [String: Entry]
    /// Names answered over UDP with the truncation bit and no records, so the client must ask over TCP.
    public var truncatedOverUDP: Set<String>
    /// Names the server never answers, as a broken server would not.
    public var unanswered: Set<String>

    public init(entries: [String: Entry] = [:], truncatedOverUDP: Set<String> = [], unanswered: Set<String> = []) {
        self.entries = entries
        self.truncatedOverUDP = truncatedOverUDP
        self.unanswered = unanswered
    }

    /// The sandbox's domains, one for each thing verification must tell apart. Every mail exchanger is
    /// loopback, where the sandbox's SMTP server listens.
    public static let sandbox = DNSZone(
        entries: [
            "deliverable.example": Entry(mx: [(10, "mx1.deliverable.example"), (20, "mx2.deliverable.example")]),
            "mx1.deliverable.example": Entry(a: [[127, 0, 0, 1]]),
            "mx2.deliverable.example": Entry(a: [[127, 0, 0, 1]]),
            // RFC 7505: a single MX of preference 0 with the root as exchange says the domain takes no mail.
            "nullmx.example": Entry(mx: [(0, "")], a: [[127, 0, 0, 1]]),
            // No MX: mail goes to the address records (RFC 5321 §5.1).
            "implicit-mx.example": Entry(
                a: [[127, 0, 0, 1]], aaaa: [[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]]),
            // Neither MX nor address: the name exists (it has other records) but takes no mail.
            "no-mail.example": Entry(),
            "big.example": Entry(mx: (1...40).map { (UInt16($0), "mx\($0).big.example") }),
            // The SMTP fake's other behaviours, all at loopback's mail exchanger.
            "catchall.example": Entry(mx: [(10, "mx1.deliverable.example")]),
            "greylist.example": Entry(mx: [(10, "mx1.deliverable.example")]),
            "full.example": Entry(mx: [(10, "mx1.deliverable.example")]),
            "policy.example": Entry(mx: [(10, "mx1.deliverable.example")]),
        ],
        truncatedOverUDP: ["big.example"], unanswered: ["silent.example"])
}
