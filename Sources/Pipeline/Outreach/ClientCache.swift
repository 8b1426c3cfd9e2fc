import Foundation
import LeadgenCore
import Synchronization

/// Vendor clients per workspace, built from its connection once and reused for `lifetime`, so a send does not
/// read the connection again; a credential changed over the API is picked up within that time. A provider
/// that is not connected is asked again each time.
final class ClientCache: Sendable {
    let lifetime: TimeInterval
    let time: TimeSource
    private let entries = Mutex<[String: (client: any Sendable, until: Date)]>([:])

    init(lifetime: TimeInterval = 60, time: TimeSource) {
        self.lifetime = lifetime
        self.time = time
    }

    func client<Client: Sendable>(
        _ provider: String, _ workspace: WorkspaceID, build: () async throws -> Client
    ) async throws -> Client {
        let key = provider + "|" + workspace.rawValue
        let now = time.now()
        if let cached = entries.withLock({ $0[key] }), cached.until > now, let client = cached.client as? Client {
            return client
        }
        let client = try await build()
        entries.withLock { $0[key] = (client, now.addingTimeInterval(lifetime)) }
        return client
    }
}
