import Foundation
import Testing

@testable import LeadgenCore

@Suite struct CronExpressionTests {
    static func utc(_ text: String) -> Date { try! Date(text, strategy: .iso8601) }

    @Test(arguments: [
        ("*/15 * * * *", "2026-11-27T10:07:30Z", "2026-11-27T10:15:00Z"),
        ("*/15 * * * *", "2026-11-27T10:15:00Z", "2026-11-27T10:30:00Z"),
        ("0 9 * * MON-FRI", "2026-11-27T10:00:00Z", "2026-11-30T09:00:00Z"),
        ("30 2 1 * *", "2026-11-27T00:00:00Z", "2026-12-01T02:30:00Z"),
        ("0 0 29 FEB *", "2026-03-01T00:00:00Z", "2028-02-29T00:00:00Z"),
        ("0 12 1 * 0", "2026-11-27T13:00:00Z", "2026-11-29T12:00:00Z"),
        ("0 12 1 * 7", "2026-11-27T13:00:00Z", "2026-11-29T12:00:00Z"),
        ("5,35 8-10/2 * * *", "2026-11-27T08:40:00Z", "2026-11-27T10:05:00Z"),
        ("0 0 1 1 *", "2026-11-27T00:00:00Z", "2027-01-01T00:00:00Z"),
    ])
    func nextRun(expression: String, after: String, expected: String) throws {
        let cron = try CronExpression(parsing: expression)
        #expect(cron.next(after: Self.utc(after)) == Self.utc(expected))
    }

    @Test func readsTheDayInTheGivenTimeZone() throws {
        let cron = try CronExpression(parsing: "0 9 * * *")
        let newYork = try #require(TimeZone(identifier: "America/New_York"))
        #expect(cron.next(after: Self.utc("2026-11-27T15:00:00Z"), in: newYork) == Self.utc("2026-11-28T14:00:00Z"))
    }

    @Test func aDateThatNeverComesHasNoNextRun() throws {
        #expect(try CronExpression(parsing: "0 0 30 2 *").next(after: Self.utc("2026-01-01T00:00:00Z")) == nil)
    }

    @Test(arguments: [
        ("* * * *", "a cron expression has 5 fields (minute hour day month weekday), got 4"),
        ("60 * * * *", "minute: '60' is outside 0-59"),
        ("*/0 * * * *", "minute: step '0' is not a positive number"),
        ("5-1 * * * *", "minute: '5-1' runs backwards"),
        ("x * * * *", "minute: 'x' is not a number, range or name"),
        ("0 0 * 13 *", "month: '13' is outside 1-12"),
    ])
    func refusesWithTheFieldNamed(expression: String, message: String) {
        #expect(throws: CronExpression.Problem(description: message)) { try CronExpression(parsing: expression) }
    }
}
