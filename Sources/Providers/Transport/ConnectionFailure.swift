import AsyncHTTPClient
import Foundation
import NIOCore
import NIOPosix

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Says in words why a connection could not be made ("connection refused", "host not found"), instead of
/// the name of an error type.
public enum ConnectionFailure {
    public static func describe(_ error: any Error) -> String {
        if let failure = error as? GuardedHTTPClient.Failure { return failure.description }
        if let io = error as? IOError { return describe(errno: io.errnoCode) }
        if let connection = error as? NIOConnectionError {
            if connection.dnsAError != nil || connection.dnsAAAAError != nil, connection.connectionErrors.isEmpty {
                return "host \(connection.host) not found"
            }
            for attempt in connection.connectionErrors {
                if let io = attempt.error as? IOError { return describe(errno: io.errnoCode) }
            }
            return "no connection to \(connection.host):\(connection.port)"
        }
        if let client = error as? HTTPClientError {
            switch client {
            case .connectTimeout, .deadlineExceeded, .readTimeout: return "no answer in time"
            case .remoteConnectionClosed: return "the server closed the connection"
            default: return String(describing: client)
            }
        }
        let type = String(describing: type(of: error))
        return type.contains("SSL") || type.contains("TLS") ? "the TLS handshake failed (\(error))" : type
    }

    static func describe(errno code: Int32) -> String {
        switch code {
        case ECONNREFUSED: "connection refused"
        case ECONNRESET: "connection reset"
        case ENETUNREACH, EHOSTUNREACH: "network unreachable"
        case ETIMEDOUT: "connection timed out"
        default: String(cString: strerror(code))
        }
    }
}
