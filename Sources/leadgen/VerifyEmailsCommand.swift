import App
import ArgumentParser
import Foundation
import LeadgenCore
import Logging
import Pipeline
import Storage

struct VerifyEmailsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "emails",
        abstract: "Verifies leads' e-mail addresses: syntax, domain, mail exchangers, role and disposable addresses.",
        discussion: """
            Each address gets an outcome (deliverable, undeliverable, risky, unknown) and a reason, stored and \
            shown by `leads export`. An address checked in the last 30 days (an unknown one: the last hour) is \
            not checked again unless --refresh is given. With LEADGEN_SMTP_PROBE=1 the mail servers of the \
            default workspace's addresses (and of workspaces that turned it on with `verify probing on`) \
            are asked about each mailbox (never sending mail); otherwise an \
            address that passes every check is unknown. DNS goes to LEADGEN_DNS_SERVER, or the first nameserver \
            of /etc/resolv.conf.
            """)

    @OptionGroup var options: GlobalOptions
    @OptionGroup var workspaceOption: WorkspaceOption

    @Option(help: "Only leads with this status (new, enriched, contacted, replied, qualified, disqualified).")
    var status: String?

    @Option(help: "Only leads with this tag.")
    var tag: String?

    @Option(help: "At most this many leads.")
    var limit: Int?

    @Flag(help: "Checks addresses again although a recent result is stored.")
    var refresh = false

    func run() async throws {
        var selection = EmailVerificationRun.Selection(tag: tag, limit: limit, refresh: refresh)
        // Set below from the workspace: probing is the operator's choice, not a flag's.
        if let status {
            guard let value = LeadStatus(rawValue: status) else {
                throw ValidationError(
                    "--status: expected one of \(LeadStatus.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            selection.status = value
        }
        if let limit, !(1...EmailVerificationRun.maxLeads).contains(limit) {
            throw ValidationError("--limit: expected a number from 1 to \(EmailVerificationRun.maxLeads)")
        }
        let runtime = try await Runtime.start(options, defaultLogLevel: .warning)
        try await runtime.run {
            let root = runtime.root()
            guard let workspace = try await root.stores.workspaces.find(slug: workspaceOption.workspace) else {
                throw CommandFailure("no workspace '\(workspaceOption.workspace)'")
            }
            selection.probe = try await root.probesMailboxes(of: workspace)
            let onTerminal = isatty(STDERR_FILENO) == 1
            let summary = try await root.emailVerification.run(in: workspace.id, selection: selection) { so in
                guard onTerminal else { return }
                FileHandle.standardError.write(Data("\r… \(so.checked) checked, \(so.cached) cached".utf8))
            }
            if onTerminal { FileHandle.standardError.write(Data("\n".utf8)) }
            let outcomes = EmailVerification.Outcome.allCases.map { "\($0.rawValue): \(summary.outcomes[$0] ?? 0)" }
            print(
                "addresses checked: \(summary.checked), cached: \(summary.cached); " + outcomes.joined(separator: ", "))
        }
    }
}
