import Foundation
import LeadgenCore
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

    @Test func sundaysMonthsAndYears() throws {
        // Days of the week are 0–6 from Sunday (Make's SDK); 7 is Sunday too.
        let sunday = Date(timeIntervalSince1970: 1_714_888_800)  // 2024-05-05 08:00 Berlin
        #expect(
            try parse(#"{"type": "weekly", "days": [0], "time": "08:00"}"#)?.next(after: start, timeZone: zone)
                == sunday)
        #expect(
            try parse(#"{"type": "weekly", "days": [7], "time": "08:00"}"#)?.next(after: start, timeZone: zone)
                == sunday)
        let monthly = try #require(try parse(#"{"type": "monthly", "days": [31, 15], "time": "06:00"}"#))
        #expect(monthly.next(after: start, timeZone: zone) == Date(timeIntervalSince1970: 1_715_745_600))  // May 15
        // From May 31 at noon, the next 31st is in July: June has none.
        let thirtyFirst = try #require(try parse(#"{"type": "monthly", "days": [31], "time": "06:00"}"#))
        #expect(
            thirtyFirst.next(after: Date(timeIntervalSince1970: 1_717_149_600), timeZone: zone)
                == Date(timeIntervalSince1970: 1_722_398_400))
        let leapDay = try #require(try parse(#"{"type": "yearly", "months": [2], "days": [29], "time": "06:00"}"#))
        #expect(leapDay.next(after: start, timeZone: zone) == Date(timeIntervalSince1970: 1_835_413_200))  // 2028
    }

    @Test func unsupportedSchedulesAreNamed() {
        #expect(throws: ScenarioSchedule.Unsupported(description: "scheduling.interval: at least 60 seconds")) {
            try parse(#"{"type": "indefinitely", "interval": 10}"#)
        }
        #expect(throws: ScenarioSchedule.Unsupported(description: "scheduling.days: days of the month from 1 to 31")) {
            try parse(#"{"type": "yearly", "months": [1]}"#)
        }
        #expect(throws: ScenarioSchedule.Unsupported(description: "scheduling.months: months from 1 to 12")) {
            try parse(#"{"type": "yearly", "days": [1], "months": [13]}"#)
        }
        #expect(
            throws: ScenarioSchedule.Unsupported(
                description: "scheduling.type 'fortnightly' is not supported natively yet")
        ) {
            try parse(#"{"type": "fortnightly"}"#)
        }
    }
}
