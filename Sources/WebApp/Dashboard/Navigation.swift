import LeadgenCore
import Storage

/// The layout's header for a logged-in user.
struct Navigation {
    var userEmail: String
    var csrfToken: String
    var leadsActive = false
    var duplicatesActive = false
    var importActive = false
    var pipelineActive = false
    var sequencesActive = false
    var webhooksActive = false
    var teamActive = false

    init(_ context: DashboardContext, active: Section) {
        userEmail = context.session.user.email.value
        csrfToken = context.session.csrfToken
        leadsActive = active == .leads
        duplicatesActive = active == .duplicates
        importActive = active == .imports
        pipelineActive = active == .pipeline
        sequencesActive = active == .sequences
        webhooksActive = active == .webhooks
        teamActive = active == .team
    }

    enum Section { case leads, duplicates, imports, pipeline, sequences, webhooks, team }
}
