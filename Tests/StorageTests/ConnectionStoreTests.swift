import Foundation
import LeadgenCore
import SQLKit
import Storage
import TestSupport
import Testing

/// Connections are sealed with the master key: the secret is never stored in the clear, and reading one
/// without the key it was sealed with is a clear failure.
@Suite struct ConnectionStoreTests {
    @Test func aStoredConnectionWithoutTheMasterKeyIsAClearFailure() async throws {
        try await TestDatabases.withFresh(.sqlite) { database, _ in
            let workspace = try await WorkspaceStore(database: database, ids: .uuidV7, time: .system)
                .findOrCreate(slug: "team").id
            _ = try await ConnectionStore(database: database, box: SecretBox(masterKey: "one key"), time: .system).save(
                "hubspot", secret: "pat-x-secret-token", baseURL: nil, in: workspace)
            let stored = try await database.sql.raw("SELECT sealed_secret FROM provider_connections").first()?
                .decode(column: "sealed_secret", as: String.self)
            #expect(stored?.contains("pat-x") == false)
            #expect(
                try await ConnectionStore(database: database, box: SecretBox(masterKey: "one key"), time: .system)
                    .get("hubspot", in: workspace)?.secret == "pat-x-secret-token")
            await #expect(throws: SecretBox.Failure.self) {
                _ = try await ConnectionStore(
                    database: database, box: SecretBox(masterKey: "another key"), time: .system
                )
                .get("hubspot", in: workspace)
            }
            await #expect(throws: ConnectionStore.MasterKeyMissing.self) {
                _ = try await ConnectionStore(database: database, box: nil, time: .system).get("hubspot", in: workspace)
            }
        }
    }
}
