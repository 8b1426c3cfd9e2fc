import Dispatch
import Foundation
import LeadgenCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Looks up a host's addresses with the system's resolver (`getaddrinfo`), off the cooperative threads.
public enum SystemResolver {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    public static func addresses(of host: String) async throws -> [IPAddress] {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try lookUp(host) })
            }
        }
    }

    static func lookUp(_ host: String) throws -> [IPAddress] {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        #if canImport(Glibc)
            hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        #else
            hints.ai_socktype = SOCK_STREAM
        #endif
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, nil, &hints, &list)
        guard status == 0, let first = list else {
            throw Failure(description: String(cString: gai_strerror(status)))
        }
        defer { freeaddrinfo(first) }
        var found: [IPAddress] = []
        var cursor: UnsafeMutablePointer<addrinfo>? = first
        // A resolver answers a handful of addresses; the cap keeps a hostile one from answering thousands.
        while let entry = cursor, found.count < 64 {
            if let socket = entry.pointee.ai_addr {
                switch Int32(socket.pointee.sa_family) {
                case AF_INET:
                    socket.withMemoryRebound(to: sockaddr_in.self, capacity: 1) {
                        found.append(.v4(UInt32(bigEndian: $0.pointee.sin_addr.s_addr)))
                    }
                case AF_INET6:
                    socket.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) {
                        var address = $0.pointee.sin6_addr
                        found.append(.v6(withUnsafeBytes(of: &address) { Array($0) }))
                    }
                default: break
                }
            }
            cursor = entry.pointee.ai_next
        }
        var seen: Set<IPAddress> = []
        return found.filter { seen.insert($0).inserted }
    }
}

extension OutboundURLPolicy {
    /// The policy with the system's resolver and the operator's exceptions.
    public static func system(allowedRanges: [IPRange] = [], allowedHosts: Set<String> = []) -> OutboundURLPolicy {
        OutboundURLPolicy(
            allowedRanges: allowedRanges, allowedHosts: allowedHosts, resolve: SystemResolver.addresses(of:))
    }
}
