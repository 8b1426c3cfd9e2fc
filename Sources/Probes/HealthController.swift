import Hummingbird
import Logging
import SQLKit
import Storage

/// `/healthz` (the process answers) and `/readyz` (the database answers too).
public struct HealthController: Sendable {
    let database: LeadgenDatabase

    public init(database: LeadgenDatabase) {
        self.database = database
    }

    public func register<Context: RequestContext>(on router: Router<Context>) {
        router.get("healthz") { _, _ in "ok\n" }
        router.get("readyz") { _, context -> Response in
            do {
                try await database.sql.raw("SELECT 1").run()
                return Response(
                    status: .ok, headers: [.contentType: "text/plain; charset=utf-8"],
                    body: .init(byteBuffer: ByteBuffer(string: "ready\n")))
            } catch {
                context.logger.warning("database not ready", metadata: ["error": "\(String(reflecting: error))"])
                return Response(
                    status: .serviceUnavailable, headers: [.contentType: "text/plain; charset=utf-8"],
                    body: .init(byteBuffer: ByteBuffer(string: "database unavailable\n")))
            }
        }
    }
}
