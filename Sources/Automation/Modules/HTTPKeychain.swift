import Foundation
import LeadgenCore

/// A credential an HTTP module names by its Make keychain id instead of holding it: an API key sent in a
/// header or the query, basic auth, or a bearer token.
public struct HTTPKeychain: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case apiKey(name: String, inQuery: Bool)
        case basic(username: String)
        case bearer
    }

    public var kind: Kind
    public var secret: String

    public init(kind: Kind, secret: String) {
        self.kind = kind
        self.secret = secret
    }
}

/// Finds keychains by id for a workspace (Leadgen keeps them as the workspace's `keychain-<id>` connections).
public protocol HTTPKeychains: Sendable {
    func keychain(_ id: Int, workspace: String?) async throws -> HTTPKeychain?
}

/// Which parameter of an HTTP module names its credential, per Make's module variant (docs/reference/make.md §5):
/// v3 `…APIKeyAuth` `parameters.auth`, `…BasicAuth` `parameters.key` (inferred: not in the samples),
/// `…OAuth` `parameters.account`; v4 `authenticationType` `apiKey` with `apiKeyKeychain`, and (inferred)
/// `basicAuth` with `basicAuthKeychain`.
enum HTTPAuthVariant: Sendable {
    case none
    case apiKey
    case basic
    case oauth
    /// v4: read from `parameters.authenticationType`.
    case fromParameters

    func keychainID(_ parameters: JSON) -> Int? {
        switch self {
        case .none: nil
        case .apiKey: parameters["auth"]?.intValue
        case .basic: parameters["key"]?.intValue
        case .oauth: parameters["account"]?.intValue
        case .fromParameters:
            switch parameters["authenticationType"]?.stringValue {
            case "apiKey": parameters["apiKeyKeychain"]?.intValue
            case "basicAuth": parameters["basicAuthKeychain"]?.intValue
            default: nil
            }
        }
    }

    var needsKeychain: Bool {
        if case .none = self { return false }
        if case .fromParameters = self { return false }
        return true
    }
}
