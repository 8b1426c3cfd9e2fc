import LeadgenCore

extension ApolloPerson {
    /// The person as a lead record, normalized like any other source; a locked e-mail is left out.
    public func leadInput() throws(RowRejection) -> LeadInput {
        var values: [LeadColumn: String] = [:]
        values[.apolloPersonID] = id
        values[.apolloContactID] = contactID
        values[.firstName] = firstName
        values[.lastName] = lastName
        if firstName == nil && lastName == nil { values[.fullName] = name }
        values[.title] = title
        values[.seniority] = seniority
        values[.departments] = departments?.joined(separator: ",")
        values[.email] = unlockedEmail
        if unlockedEmail != nil { values[.emailStatus] = emailStatus }
        values[.linkedinURL] = linkedinURL
        values[.city] = city
        values[.state] = state
        values[.country] = country
        values.addPhones(phoneNumbers ?? [])
        if let organization {
            values[.companyName] = organization.name
            values[.companyDomain] = organization.primaryDomain ?? organization.websiteURL
            values[.companyLinkedinURL] = organization.linkedinURL
            values[.industry] = organization.industry
            values[.employees] = organization.estimatedNumEmployees.map(String.init)
            values[.annualRevenue] = organization.annualRevenue.map { String(Int($0)) }
            values[.companyPhone] = organization.phone
            values[.companyCity] = organization.city
            values[.companyState] = organization.state
            values[.companyCountry] = organization.country
            values[.apolloAccountID] = organization.id
        }
        values[.apolloAccountID] = values[.apolloAccountID] ?? organizationID
        return try LeadInput.normalizing(values)
    }
}

extension [LeadColumn: String] {
    /// Puts each of Apollo's numbers in the import column of its kind, the first of each kind only.
    public mutating func addPhones(_ phones: [ApolloPhoneNumber]) {
        for phone in phones {
            guard let number = phone.sanitizedNumber ?? phone.rawNumber else { continue }
            let column: LeadColumn =
                switch phone.type {
                case "mobile": .mobilePhone
                case "work_direct": .workDirectPhone
                case "home": .homePhone
                default: .otherPhone
                }
            self[column] = self[column] ?? number
        }
    }
}
