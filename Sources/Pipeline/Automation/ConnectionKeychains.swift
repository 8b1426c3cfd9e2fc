import Automation
import Foundation
import LeadgenCore
import Storage

/// The keychains of Make HTTP modules, kept as the workspace's `keychain-<id>` connections (sealed like
/// every connection): settings `kind` api_key (with `name` and `placement`), basic (with `username`) or
/// bearer; the secret is the key, the password or the token.
struct ConnectionKeychains: HTTPKeychains {
    let connections: ConnectionStore

    func keychain(_ id: Int, workspace: String?) async throws -> HTTPKeychain? {
        guard let workspace,
            let connection = try await connections.get("keychain-\(id)", in: WorkspaceID(rawValue: workspace))
        else { return nil }
        let settings = connection.settings
        switch settings["kind"] {
        case "api_key":
            return HTTPKeychain(
                kind: .apiKey(name: settings["name"] ?? "", inQuery: settings["placement"] == "query"),
                secret: connection.secret)
        case "basic": return HTTPKeychain(kind: .basic(username: settings["username"] ?? ""), secret: connection.secret)
        case "bearer": return HTTPKeychain(kind: .bearer, secret: connection.secret)
        default: return nil
        }
    }
}
