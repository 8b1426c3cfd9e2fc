/// A block of addresses in CIDR notation ("10.0.0.0/8", "fd00::/8"; a bare address is a block of one).
public struct IPRange: Hashable, Sendable, CustomStringConvertible {
    public let address: IPAddress
    public let prefix: Int

    public init?(_ text: String) {
        let pieces = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let address = IPAddress(String(pieces[0])) else { return nil }
        let width = address.bitWidth
        if pieces.count == 2 {
            guard pieces[1].allSatisfy(\.isASCII), let prefix = Int(pieces[1]), (0...width).contains(prefix)
            else { return nil }
            self.init(address, prefix)
        } else {
            self.init(address, width)
        }
    }

    public init(_ address: IPAddress, _ prefix: Int) {
        self.address = address
        self.prefix = max(0, min(prefix, address.bitWidth))
    }

    public var description: String { "\(address)/\(prefix)" }

    public func contains(_ other: IPAddress) -> Bool {
        let (mine, theirs) = (address.bytes, other.bytes)
        guard mine.count == theirs.count else { return false }
        var bits = prefix
        for (a, b) in zip(mine, theirs) where bits > 0 {
            let mask: UInt8 = bits >= 8 ? 0xFF : ~(0xFF >> UInt8(bits))
            if a & mask != b & mask { return false }
            bits -= 8
        }
        return true
    }
}

extension IPAddress {
    var bitWidth: Int {
        if case .v4 = self { 32 } else { 128 }
    }

    var bytes: [UInt8] {
        switch self {
        case .v4(let value): [24, 16, 8, 0].map { UInt8(truncatingIfNeeded: value >> $0) }
        case .v6(let bytes): bytes
        }
    }

    /// Why no outbound request may go to this address, or nil for a public one: the name of the block it is in.
    public var reservedBlock: String? {
        if let inner = embeddedIPv4 {
            return inner.reservedBlock.map { "\($0), inside the IPv6 address \(self)" }
        }
        return Self.reservedBlocks.first { $0.range.contains(self) }?.name
    }

    static let reservedBlocks: [(range: IPRange, name: String)] = [
        ("0.0.0.0/8", "unspecified (0.0.0.0/8)"),
        ("127.0.0.0/8", "loopback (127.0.0.0/8)"),
        ("10.0.0.0/8", "private (RFC 1918, 10.0.0.0/8)"),
        ("172.16.0.0/12", "private (RFC 1918, 172.16.0.0/12)"),
        ("192.168.0.0/16", "private (RFC 1918, 192.168.0.0/16)"),
        ("100.64.0.0/10", "carrier-grade NAT (100.64.0.0/10)"),
        ("169.254.0.0/16", "link-local (169.254.0.0/16, cloud metadata among them)"),
        ("192.0.0.0/24", "IETF protocol assignments (192.0.0.0/24)"),
        ("192.0.2.0/24", "documentation (192.0.2.0/24)"),
        ("198.18.0.0/15", "benchmarking (198.18.0.0/15)"),
        ("198.51.100.0/24", "documentation (198.51.100.0/24)"),
        ("203.0.113.0/24", "documentation (203.0.113.0/24)"),
        ("224.0.0.0/4", "multicast (224.0.0.0/4)"),
        ("240.0.0.0/4", "reserved (240.0.0.0/4, broadcast among them)"),
        ("::/128", "unspecified (::)"),
        ("::1/128", "loopback (::1)"),
        ("::/96", "IPv4-compatible (::/96, deprecated)"),
        ("fe80::/10", "link-local (fe80::/10)"),
        ("fc00::/7", "unique local (fc00::/7)"),
        ("ff00::/8", "multicast (ff00::/8)"),
        ("2001:db8::/32", "documentation (2001:db8::/32)"),
    ].compactMap { text, name in IPRange(text).map { ($0, name) } }
}
