import LeadgenCore
import Providers

extension LeadgenConfig {
    /// The SMTP probe's settings, or nil when `LEADGEN_SMTP_PROBE` is not on.
    static func smtpProbe(_ value: (String) -> String?) throws -> SMTPProbe.Options? {
        guard let switchText = value("LEADGEN_SMTP_PROBE") else { return nil }
        switch switchText.lowercased() {
        case "0", "false", "off", "no": return nil
        case "1", "true", "on", "yes": break
        default:
            throw ConfigError(
                setting: "LEADGEN_SMTP_PROBE", problem: "expected 1 or 0, got '\(switchText.prefix(100))'")
        }
        guard let fromText = value("LEADGEN_SMTP_PROBE_FROM") else {
            throw ConfigError(
                setting: "LEADGEN_SMTP_PROBE_FROM",
                problem: "is needed when LEADGEN_SMTP_PROBE is on: the address the probe names as its sender")
        }
        guard let from = try? EmailAddress(parsing: fromText) else {
            throw ConfigError(
                setting: "LEADGEN_SMTP_PROBE_FROM", problem: "'\(fromText.prefix(100))' is not an e-mail address")
        }
        var options = SMTPProbe.Options(heloName: String(from.domain), mailFrom: from.value)
        if let helo = value("LEADGEN_SMTP_PROBE_HELO") {
            guard (try? Domain(parsing: helo)) != nil else {
                throw ConfigError(
                    setting: "LEADGEN_SMTP_PROBE_HELO", problem: "'\(helo.prefix(100))' is not a host name")
            }
            options.heloName = helo.lowercased()
        }
        if let portText = value("LEADGEN_SMTP_PROBE_PORT") {
            guard let port = Int(portText), (1...65535).contains(port) else {
                throw ConfigError(
                    setting: "LEADGEN_SMTP_PROBE_PORT",
                    problem: "expected a port from 1 to 65535, got '\(portText.prefix(100))'")
            }
            options.port = port
        }
        if let rateText = value("LEADGEN_SMTP_PROBE_RATE") {
            guard let rate = Double(rateText), rate >= 0.01, rate <= 100 else {
                throw ConfigError(
                    setting: "LEADGEN_SMTP_PROBE_RATE",
                    problem:
                        "expected probes a second to one mail server, from 0.01 to 100, got '\(rateText.prefix(100))'")
            }
            options.perExchangerPerSecond = rate
        }
        return options
    }
}
