import Foundation
import Testing

@testable import Automation

@Suite struct ScenarioScheduleTests {
    let zone = TimeZone(identifier: "Europe/Berlin")!
    /// Wednesday 2024-05-01 10:00:00 UTC (12:00 in Berlin).
    let start = Date(timeIntervalSince1970: 1_714_557_600)

    func parse(_ text: String) throws -> ScenarioSchedule? {
        try ScenarioSchedule.parse(try JSON.parse(Data(text.utf8)))
    }

    @Test func intervalsDaysAndWeeks() throws {
        #expect(try parse(#"{"type": "indefinitely", "interval": 900}"#) == .interval(seconds: 900))
        #expect(
            try parse(#"{"type": "indefinitely", "interval": 900}"#)?.next(after: start, timeZone: zone) == start + 900)
        let daily = try #require(try parse(#"{"type": "daily", "time": "09:30"}"#))
        // 12:00 in Berlin is past 09:30: the next run is tomorrow at 09:30 Berlin time (07:30 UTC).
        #expect(daily.next(after: start, timeZone: zone) == Date(timeIntervalSince1970: 1_714_635_000))
        let weekly = try #require(try parse(#"{"type": "weekly", "days": [1, 5], "time": "08:00"}"#))
        // Next Friday (day 5) at 08:00 Berlin = 06:00 UTC on 2024-05-03.
        #expect(weekly.next(after: start, timeZone: zone) == Date(timeIntervalSince1970: 1_714_716_000))
        #expect(try parse(#"{"type": "immediately"}"#)?.next(after: start, timeZone: zone) == nil)
        #expect(
            try parse(#"{"type": "once", "date": "2024-04-01T00:00:00Z"}"#)?.next(after: start, timeZone: zone) == nil)
    }

    @Test func unsupportedSchedulesAreNamed() {
        #expect(throws: ScenarioSchedule.Unsupported(description: "scheduling.interval: at least 60 seconds")) {
            try parse(#"{"type": "indefinitely", "interval": 10}"#)
        }
        #expect(
            throws: ScenarioSchedule.Unsupported(description: "scheduling.type 'yearly' is not supported natively yet")
        ) {
            try parse(#"{"type": "yearly"}"#)
        }
    }
}
