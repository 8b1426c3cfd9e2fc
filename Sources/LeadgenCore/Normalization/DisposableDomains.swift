/// Domains of throwaway-mail services, the ones seen most often in sign-up and lead forms.
enum DisposableDomains {
    static func contains(_ domain: String) -> Bool { domains.contains(domain) }

    private static let domains: Set<String> = [
        "10minutemail.com", "20minutemail.com", "33mail.com", "burnermail.io", "discard.email",
        "dispostable.com", "emailondeck.com", "fakeinbox.com", "getairmail.com", "getnada.com",
        "guerrillamail.com", "guerrillamail.net", "guerrillamail.org", "guerrillamailblock.com",
        "harakirimail.com", "inboxkitten.com", "maildrop.cc", "mailinator.com", "mailinator.net",
        "mailnesia.com", "mintemail.com", "mohmal.com", "mytemp.email", "sharklasers.com", "spam4.me",
        "spamgourmet.com", "temp-mail.org", "tempail.com", "tempmail.com", "tempmailo.com", "tempr.email",
        "throwawaymail.com", "trashmail.com", "trashmail.de", "yopmail.com", "yopmail.fr", "yopmail.net",
    ]
}
