/// Where DNS questions go: an IP address and a port, written `192.0.2.53:53` or `[2001:db8::53]:53` (the
/// port may be left out for 53), as `LEADGEN_DNS_SERVER` and resolv.conf's `nameserver` lines give it.
public struct DNSServerAddress: Sendable, Equatable, CustomStringConvertible {
    public var host: String
    public var port: Int

    public init?(_ text: String) {
        let text = text.trimmingWhitespace()
        var host = text
        var port = 53
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { return nil }
            host = String(text[text.index(after: text.startIndex)..<close])
            let rest = text[text.index(after: close)...]
            if !rest.isEmpty {
                guard rest.hasPrefix(":"), let number = Int(rest.dropFirst()) else { return nil }
                port = number
            }
        } else if text.filter({ $0 == ":" }).count == 1, let colon = text.firstIndex(of: ":") {
            host = String(text[..<colon])
            guard let number = Int(text[text.index(after: colon)...]) else { return nil }
            port = number
        }
        // A zone ("fe80::1%eth0") names an interface of one machine: not something to configure.
        guard (1...65535).contains(port), !host.contains("%"), IPAddress(host) != nil else { return nil }
        self.host = host
        self.port = port
    }

    public var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }

    /// The first usable `nameserver` of a resolv.conf text (a link-local IPv6 with a zone is skipped).
    public static func firstNameserver(inResolvConf text: String) -> DNSServerAddress? {
        for line in text.split(whereSeparator: \.isNewline).prefix(1000) {
            let words = line.split(whereSeparator: \.isWhitespace)
            guard words.count >= 2, words[0] == "nameserver", let address = DNSServerAddress(String(words[1])) else {
                continue
            }
            return address
        }
        return nil
    }
}
