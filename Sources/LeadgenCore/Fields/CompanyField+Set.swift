extension CompanyField {
    /// Sets the field from text, normalized; nil or blank text clears it. A phone is read in
    /// `defaultCountry`; a head count may carry thousands separators and a revenue a scale ("1.2M").
    /// Throws, and leaves the field as it was, when the text cannot be its value.
    public func set(_ text: String?, in f: inout CompanyFields, defaultCountry: String? = nil) throws(InvalidFieldValue)
    {
        guard let text = text?.trimmingWhitespace(), !text.isEmpty else {
            clear(in: &f)
            return
        }
        try assign(text, in: &f, defaultCountry: defaultCountry)
    }

    /// `set` for text known to be trimmed and not empty, as an import row's values are.
    func assign(_ text: String, in f: inout CompanyFields, defaultCountry: String?) throws(InvalidFieldValue) {
        switch self {
        case .name: f.name = FieldNormalizer.text(text)
        case .domain:
            do { f.domain = try Domain(parsing: text) } catch { throw InvalidFieldValue(error.description) }
        case .linkedinURL: f.linkedinURL = try FieldNormalizer.linkedin(text, .company)
        case .industry: f.industry = FieldNormalizer.text(text)
        case .employeeCount:
            f.employeeCount = try FieldNormalizer.required(text, "number of employees", FieldNormalizer.wholeNumber)
        case .annualRevenue:
            f.annualRevenue = try FieldNormalizer.required(text, "annual revenue", FieldNormalizer.money)
        case .phone: f.phone = try FieldNormalizer.phone(text, defaultCountry: defaultCountry).e164
        case .city: f.city = FieldNormalizer.text(text)
        case .state: f.state = FieldNormalizer.text(text)
        case .country: f.country = try FieldNormalizer.required(text, "country") { Country($0) }
        case .apolloOrganizationID: f.apolloOrganizationID = FieldNormalizer.identifier(text)
        }
    }

    private func clear(in f: inout CompanyFields) {
        switch self {
        case .name: f.name = nil
        case .domain: f.domain = nil
        case .linkedinURL: f.linkedinURL = nil
        case .industry: f.industry = nil
        case .employeeCount: f.employeeCount = nil
        case .annualRevenue: f.annualRevenue = nil
        case .phone: f.phone = nil
        case .city: f.city = nil
        case .state: f.state = nil
        case .country: f.country = nil
        case .apolloOrganizationID: f.apolloOrganizationID = nil
        }
    }
}
