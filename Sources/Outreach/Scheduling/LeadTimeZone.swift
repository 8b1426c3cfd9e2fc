import Foundation
import LeadgenCore

/// The time zone a lead reads messages in: the lead's own zone when it names a valid IANA zone, else the one of
/// its state or province (United States, Canada, Australia) or its country, else the workspace's. Where a
/// country spans several zones and the lead has no state, the zone most of its people live in is used.
public enum LeadTimeZone {
    public enum Source: String, Sendable { case lead, region, country, workspace }

    public static func resolve(_ fields: LeadFields, workspace: TimeZone) -> (zone: TimeZone, source: Source) {
        if let name = fields.timeZone, let zone = TimeZone(identifier: name) { return (zone, .lead) }
        guard let country = fields.country?.code else { return (workspace, .workspace) }
        if let state = fields.state?.trimmingCharacters(in: .whitespaces).lowercased(), !state.isEmpty {
            let table: [String: String]? =
                switch country {
                case "US": RegionTimeZones.us
                case "CA": RegionTimeZones.ca
                case "AU": RegionTimeZones.au
                default: nil
                }
            if let name = table?[state], let zone = TimeZone(identifier: name) { return (zone, .region) }
        }
        if let name = RegionTimeZones.countries[country], let zone = TimeZone(identifier: name) {
            return (zone, .country)
        }
        return (workspace, .workspace)
    }
}

extension SendWindow {
    /// The first moment at or after `date` inside the window, in `zone`, on a day that is not a holiday;
    /// nil when there is none within a year (a window with no days).
    public func nextSlot(atOrAfter date: Date, in zone: TimeZone, holidays: Set<String> = []) -> Date? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        var day = calendar.startOfDay(for: date)
        for _ in 0..<(366 + holidays.count) {
            let weekday = (calendar.component(.weekday, from: day) + 5) % 7 + 1  // 1 = Monday … 7 = Sunday
            if days.contains(weekday), !holidays.contains(Self.dayKey(day, calendar)),
                let start = calendar.date(byAdding: .minute, value: from, to: day),
                let end = calendar.date(byAdding: .minute, value: to, to: day), date < end
            {
                return max(date, start)
            }
            guard let next = calendar.date(byAdding: .day, value: 1, to: day) else { return nil }
            day = next
        }
        return nil
    }

    static func dayKey(_ day: Date, _ calendar: Calendar) -> String {
        let parts = calendar.dateComponents([.year, .month, .day], from: day)
        return String(format: "%04d-%02d-%02d", parts.year!, parts.month!, parts.day!)
    }
}

extension SequenceStep.Kind {
    /// When a wait that starts at `date` ends, in `zone`: calendar days and hours, or business days that skip
    /// weekends and `holidays`. Nil for a step that is not a wait.
    public func waitEnd(from date: Date, in zone: TimeZone, holidays: Set<String> = []) -> Date? {
        guard case .wait(let days, let hours, let businessDays) = self else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        var end = date
        if businessDays {
            var left = days
            while left > 0 {
                end = calendar.date(byAdding: .day, value: 1, to: end)!
                let weekday = (calendar.component(.weekday, from: end) + 5) % 7 + 1
                if weekday <= 5, !holidays.contains(SendWindow.dayKey(calendar.startOfDay(for: end), calendar)) {
                    left -= 1
                }
            }
        } else {
            end = calendar.date(byAdding: .day, value: days, to: end)!
        }
        return calendar.date(byAdding: .hour, value: hours, to: end)
    }
}
