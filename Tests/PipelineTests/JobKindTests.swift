import App
import Foundation
import SQLKit
import Storage
import TestSupport
import Testing

/// Every job kind is spelled one way (snake_case), and every kind the application queues on a schedule has
/// a handler.
@Suite struct JobKindTests {
    @Test func everyKindIsSnakeCaseAndEveryScheduledKindHasAHandler() async throws {
        try await TestDatabases.withFresh(.sqlite) { database, _ in
            let app = AppRoot.testing(database)
            let kinds = Set(app.handlers.keys)
            #expect(kinds.count >= 12)
            let style = try Regex("^[a-z]+(_[a-z]+)*$")
            #expect(kinds.filter { $0.wholeMatch(of: style) == nil }.isEmpty, "\(kinds.sorted())")
            try await app.prepareSchedules()
            let scheduled = try await database.sql.raw("SELECT kind FROM job_schedules").all()
                .map { try $0.decode(column: "kind", as: String.self) }
            #expect(scheduled.count == 5)
            #expect(Set(scheduled).isSubset(of: kinds), "\(scheduled)")
        }
    }
}
