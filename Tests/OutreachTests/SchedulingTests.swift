import Foundation
import LeadgenCore
import Testing

@testable import Outreach

/// Each lead's time zone, and when a message may go out in it: send windows, holidays, business-day waits.
@Suite struct SchedulingTests {
    let workspace = TimeZone(identifier: "Europe/London")!

    func fields(zone: String? = nil, state: String? = nil, country: String? = nil) -> LeadFields {
        var fields = LeadFields()
        fields.timeZone = zone
        fields.state = state
        fields.country = country.flatMap { Country(code: $0) }
        return fields
    }

    @Test func aLeadsZoneComesFromItsOwnThenItsStateThenItsCountryThenTheWorkspace() {
        let explicit = LeadTimeZone.resolve(
            fields(zone: "Asia/Tokyo", state: "Texas", country: "US"), workspace: workspace)
        #expect(explicit.zone.identifier == "Asia/Tokyo" && explicit.source == .lead)
        let texas = LeadTimeZone.resolve(fields(state: "Texas", country: "US"), workspace: workspace)
        #expect(texas.zone.identifier == "America/Chicago" && texas.source == .region)
        #expect(
            LeadTimeZone.resolve(fields(state: "ca", country: "US"), workspace: workspace).zone.identifier
                == "America/Los_Angeles")
        #expect(
            LeadTimeZone.resolve(fields(state: "WA", country: "AU"), workspace: workspace).zone.identifier
                == "Australia/Perth")
        #expect(
            LeadTimeZone.resolve(fields(state: "Québec", country: "CA"), workspace: workspace).zone.identifier
                == "America/Toronto")
        let germany = LeadTimeZone.resolve(fields(state: "Bavaria", country: "DE"), workspace: workspace)
        #expect(germany.zone.identifier == "Europe/Berlin" && germany.source == .country)
        let unknownZone = LeadTimeZone.resolve(fields(zone: "Mars/Base", country: "FR"), workspace: workspace)
        #expect(unknownZone.zone.identifier == "Europe/Paris", "a zone that does not exist is ignored")
        let nothing = LeadTimeZone.resolve(fields(), workspace: workspace)
        #expect(nothing.zone == workspace && nothing.source == .workspace)
    }

    @Test func messagesWaitForTheWindowInTheLeadsZone() {
        let newYork = TimeZone(identifier: "America/New_York")!
        let window = SendWindow.businessHours
        let fridayAfternoon = Date(timeIntervalSince1970: 1_795_815_000)  // Fri 27 Nov 2026 16:30 New York
        #expect(window.nextSlot(atOrAfter: fridayAfternoon, in: newYork) == fridayAfternoon)
        let fridayEvening = Date(timeIntervalSince1970: 1_795_820_400)  // 18:00
        #expect(window.nextSlot(atOrAfter: fridayEvening, in: newYork) == Date(timeIntervalSince1970: 1_796_047_200))
        // The same instant is 2 a.m. on Friday in Sydney: the message waits for 9 a.m. there.
        let sydney = TimeZone(identifier: "Australia/Sydney")!
        let sydneyNight = Date(timeIntervalSince1970: 1_795_705_200)
        #expect(window.nextSlot(atOrAfter: sydneyNight, in: sydney) == Date(timeIntervalSince1970: 1_795_730_400))
    }

    @Test func holidaysAreSkipped() {
        let berlin = TimeZone(identifier: "Europe/Berlin")!
        let saturday = Date(timeIntervalSince1970: 1_798_275_600)  // Sat 26 Dec 2026 10:00 Berlin
        let slot = SendWindow.businessHours.nextSlot(
            atOrAfter: saturday, in: berlin, holidays: ["2026-12-25", "2026-12-28"])
        #expect(slot == Date(timeIntervalSince1970: 1_798_531_200), "Tuesday 29 December, 9:00")
        #expect(SendWindow(days: [], from: 540, to: 1020).nextSlot(atOrAfter: saturday, in: berlin) == nil)
    }

    @Test func waitsCountCalendarOrBusinessDays() {
        let berlin = TimeZone(identifier: "Europe/Berlin")!
        let christmasEve = Date(timeIntervalSince1970: 1_798_124_400)  // Thu 24 Dec 2026 16:00 Berlin
        let business = SequenceStep.Kind.wait(days: 2, hours: 0, businessDays: true)
        #expect(
            business.waitEnd(from: christmasEve, in: berlin, holidays: ["2026-12-25"])
                == Date(timeIntervalSince1970: 1_798_556_400), "Tuesday 29 December, 16:00")
        // A calendar day across the start of daylight saving time is 23 hours.
        let newYork = TimeZone(identifier: "America/New_York")!
        let saturday = Date(timeIntervalSince1970: 1_772_895_600)  // Sat 7 Mar 2026 10:00 New York
        #expect(
            SequenceStep.Kind.wait(days: 1, hours: 0, businessDays: false).waitEnd(from: saturday, in: newYork)
                == Date(timeIntervalSince1970: 1_772_978_400))
        #expect(SequenceStep.Kind.task(title: "x").waitEnd(from: saturday, in: newYork) == nil)
    }
}
