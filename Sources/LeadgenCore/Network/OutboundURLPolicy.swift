import Foundation

/// Decides whether the server may call a URL that a user or a workspace set (an HTTP module's URL, a
/// webhook step, a connection's base URL or Slack webhook): only http(s), and only to public addresses,
/// so nobody can make the server read its own loopback services, the cloud's metadata endpoint or the
/// private network behind it (SSRF). Settings of the operator (`APOLLO_BASE_URL`…) are trusted and never
/// pass through here. `allowed` opens exceptions (`LEADGEN_OUTBOUND_ALLOW`); `--sandbox` opens its own fakes.
public struct OutboundURLPolicy: Sendable {
    /// Address blocks the server may call although they are not public.
    public var allowedRanges: [IPRange]
    /// Host names, or `host:port`, the server may call whatever they resolve to (lower-cased).
    public var allowedHosts: Set<String>
    /// Looks up a host name's addresses (the system's resolver in production; a table in tests).
    let resolve: @Sendable (String) async throws -> [IPAddress]

    public init(
        allowedRanges: [IPRange] = [], allowedHosts: Set<String> = [],
        resolve: @escaping @Sendable (String) async throws -> [IPAddress]
    ) {
        self.allowedRanges = allowedRanges
        self.allowedHosts = Set(allowedHosts.map { $0.lowercased() })
        self.resolve = resolve
    }

    /// Reads `LEADGEN_OUTBOUND_ALLOW`: CIDR blocks, addresses and host names (optionally with a port),
    /// separated by commas or spaces. Returns the problem with the first entry that is none of them.
    public static func exceptions(_ text: String) -> (ranges: [IPRange], hosts: Set<String>, problem: String?) {
        var ranges: [IPRange] = []
        var hosts: Set<String> = []
        for entry in text.split(whereSeparator: { $0 == "," || $0 == " " }).prefix(1000) {
            if let range = IPRange(String(entry)) {
                ranges.append(range)
            } else if entry.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-.:_".contains($0)) }),
                entry.contains(where: \.isLetter)
            {
                hosts.insert(entry.lowercased())
            } else {
                return (ranges, hosts, "'\(entry)' is neither an address block (10.0.0.0/8) nor a host name")
            }
        }
        return (ranges, hosts, nil)
    }

    /// The addresses `url` may be called at, after every check; throws the rule it breaks.
    @discardableResult
    public func check(_ url: URL) async throws(OutboundRefusal) -> [IPAddress] {
        let shown = Self.redacted(url)
        guard let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https" else {
            throw OutboundRefusal(url: shown, rule: "only http and https URLs may be called")
        }
        guard var host = url.host?.lowercased(), !host.isEmpty else {
            throw OutboundRefusal(url: shown, rule: "the URL has no host")
        }
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        if host.count > 1, host.hasSuffix(".") { host.removeLast() }
        let port = url.port ?? (scheme == "https" ? 443 : 80)
        if allowedHosts.contains(host) || allowedHosts.contains("\(host):\(port)") { return [] }
        let addresses: [IPAddress]
        if let literal = IPAddress(host) ?? IPv4Host.parse(host) {
            addresses = [literal]
        } else {
            if host == "localhost" || host.hasSuffix(".localhost") {
                throw OutboundRefusal(url: shown, rule: "localhost is this machine (loopback)")
            }
            do {
                addresses = try await resolve(host)
            } catch {
                throw OutboundRefusal(url: shown, rule: "its host \(host) does not resolve")
            }
            guard !addresses.isEmpty else { throw OutboundRefusal(url: shown, rule: "its host \(host) has no address") }
        }
        for address in addresses {
            guard let block = address.reservedBlock, !allowedRanges.contains(where: { $0.contains(address) })
            else { continue }
            let via = IPAddress(host) == nil && IPv4Host.parse(host) == nil ? "\(host) resolves to " : ""
            throw OutboundRefusal(url: shown, rule: "\(via)\(address), which is \(block)")
        }
        return addresses
    }

    /// Whether the server may connect to `address` (a mail exchanger's, say): a public address, or one in an
    /// allowed block.
    public func allows(_ address: IPAddress) -> Bool {
        address.reservedBlock == nil || allowedRanges.contains { $0.contains(address) }
    }

    /// The URL without its user, password, query and fragment, for messages and logs.
    static func redacted(_ url: URL) -> String {
        guard var components = URLComponents(url: url, resolvingAgainstBaseURL: false) else { return "the URL" }
        components.user = nil
        components.password = nil
        components.query = nil
        components.fragment = nil
        return components.string ?? "the URL"
    }
}

/// A URL the outbound policy will not call, and the rule it breaks.
public struct OutboundRefusal: Error, Sendable, Equatable, CustomStringConvertible {
    public var url: String
    public var rule: String

    public init(url: String, rule: String) {
        self.url = url
        self.rule = rule
    }

    public var description: String {
        "refused to call \(url): \(rule) (LEADGEN_OUTBOUND_ALLOW opens exceptions)"
    }
}
