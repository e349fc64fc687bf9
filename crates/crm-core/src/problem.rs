//! What the user must be told, as data: a [`Code`], the field concerned, and the values
//! the sentence needs. The words come from one table, [`SENTENCES`], in French and in
//! English: the command line renders them with [`Problem::text`], and the app receives the
//! same table, generated into TypeScript (`app-ui/src/generated/`), so both say the same
//! thing and no sentence is written twice.
//!
//! A sentence is a template: `{name}` is replaced by the parameter `name`. Two names are
//! filled in by the renderer: `{label}`, the field's label in the language (French labels
//! come from the schema, `crate::schema`; English ones are the field's name), and
//! `{allowed}`, the accepted values, joined.

use crate::{RecordType, all_fields};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use ts_rs::TS;

/// Something to tell the user.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Problem {
    pub code: Code,
    /// The field at fault (its schema name), when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub field: Option<String>,
    /// The values the sentence names (`max`, `value`…); `type` is the record type.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    #[ts(as = "Option<BTreeMap<String, String>>", optional)]
    pub params: BTreeMap<String, String>,
}

/// The language of the words.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    Fr,
    En,
}

impl Lang {
    /// French when the locale (`LANG`, `LC_ALL`…) starts with `fr`, English otherwise.
    pub fn from_locale(locale: Option<&str>) -> Lang {
        match locale {
            Some(l) if l.to_ascii_lowercase().starts_with("fr") => Lang::Fr,
            _ => Lang::En,
        }
    }
}

macro_rules! codes {
    ($($code:ident => $fr:literal, $en:literal;)*) => {
        /// Every kind of problem the user can be told of.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, TS)]
        #[serde(rename_all = "snake_case")]
                pub enum Code {
            $($code,)*
        }

        /// The words of every code, French then English.
        pub const SENTENCES: &[Sentence] = &[
            $(Sentence { code: Code::$code, fr: $fr, en: $en },)*
        ];
    };
}

/// The words of one code.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct Sentence {
    pub code: Code,
    pub fr: &'static str,
    pub en: &'static str,
}

codes! {
    // Fields.
    Required => "{label} est obligatoire", "{label} is required";
    TooLong => "{label} : au plus {max} caractères", "{label}: at most {max} characters";
    ControlCharacters => "{label} : pas de retour à la ligne ni de caractère de contrôle", "{label}: must not contain control characters or line breaks";
    Blank => "{label} ne peut pas être vide", "{label}: must not be blank";
    NotOneOf => "{label} : « {value} » n'est pas une valeur possible ({allowed})", "{label}: `{value}` is not one of {allowed}";
    NotARecordId => "{label} : « {value} » ne désigne aucune fiche", "{label}: `{value}` is not a record id";
    SiretDigits => "SIRET : 14 chiffres attendus (les espaces sont acceptés)", "siret: must be exactly 14 digits";
    SiretChecksum => "SIRET : la clé de contrôle est fausse, un chiffre a dû être mal saisi", "siret: checksum is wrong: check for a mistyped digit";
    EmailInvalid => "{label} : « {value} » n'est pas une adresse e-mail comme nom@exemple.fr", "{label}: `{value}` is not an e-mail address like name@example.fr";
    PhoneInvalid => "{label} : « {value} » n'est pas un numéro de téléphone (6 à 20 chiffres)", "{label}: `{value}` is not a phone number (6 to 20 digits, with + . - ( ) allowed)";
    WebsiteInvalid => "{label} : « {value} » n'est pas une adresse web comme www.exemple.fr", "{label}: `{value}` is not a web address like www.example.fr";
    PostalCodeInvalid => "{label} : « {value} » n'est pas un code postal", "{label}: `{value}` is not a postal code";
    DateTimeInvalid => "{label} : une date et une heure sont attendues", "{label}: must be a date and time in RFC 3339 form, e.g. 2026-03-14T09:30:00+01:00";
    DateInvalid => "{label} : une date est attendue (jj/mm/aaaa)", "{label}: must be a date in the form YYYY-MM-DD";
    AmountInvalid => "{label} : « {value} » n'est pas un montant comme 1 200,50", "{label}: `{value}` is not an amount like 1200.50";
    AmountDecimals => "{label} : « {value} » a plus de deux décimales (euros et centimes)", "{label}: `{value}` has more than two decimals: amounts are in euros and cents";
    AmountNegative => "{label} ne peut pas être négatif", "{label}: must not be negative";
    IntegerRange => "{label} : un nombre entier de {min} à {max}", "{label}: must be a whole number from {min} to {max}";
    PercentRange => "{label} : un pourcentage de 0 à 100", "{label}: must be a percentage from 0 to 100";
    ReferenceLength => "Référence : exactement 8 caractères (« {value} » en a {len})", "reference: must be exactly 8 characters (`{value}` has {len})";
    ReferenceCharacters => "Référence : lettres, chiffres, - et _ seulement", "reference: may only hold letters, digits, - and _";
    PriceListInvalid => "Tarifs négociés : une liste « référence : prix » est attendue", "price_list: expected {\"REFERENCE\": \"price\"}";
    QuoteLinesInvalid => "Les lignes du devis sont illisibles", "lines: not a list of quote lines";
    QuoteLinesEmpty => "Un devis a au moins une ligne", "lines: a quote needs at least one line";
    QuoteLinesTooMany => "Un devis a au plus 1 000 lignes", "lines: at most 1000 lines";
    QuoteQuantity => "Quantité de {reference} : doit être supérieure à 0", "quantity of {reference}: must be more than 0";
    QuoteUnitPrice => "Prix unitaire de {reference} : ne peut pas être négatif", "unit price of {reference}: must not be negative";
    QuoteDiscount => "Remise de {reference} : entre 0 et 100 %", "discount of {reference}: must be between 0 and 100 %";
    QuoteVat => "TVA de {reference} : entre 0 et 100 %", "VAT rate of {reference}: must be between 0 and 100 %";
    ListExpected => "{label} : une liste de valeurs est attendue", "{label}: expected a list of values";
    SingleExpected => "{label} : une seule valeur est attendue", "{label}: expected a single value, not a list";
    TooManyItems => "{label} : au plus {max} éléments", "{label}: at most {max} items";
    ItemLength => "{label} : chaque élément a de 1 à {max} caractères", "{label}: each item must be 1 to {max} characters";
    MediaItem => "{label} : « {value} » n'est pas un nom de pièce jointe", "{label}: each item must be an attachment name: 64 hexadecimal digits, a dot, an extension";
    YesNo => "{label} : oui ou non", "{label}: expected yes or no";
    UnknownField => "« {field} » n'existe pas pour cette fiche", "{field}: unknown field for a {type} (known fields: {known})";
    IdentifierInvalid => "« {value} » n'est pas un identifiant (1 à 40 minuscules, chiffres ou _)", "`{value}` is not an id (1 to 40 lower-case letters, digits or _)";
    DealTypeUnknown => "« {value} » n'est pas un type d'affaire ({allowed})", "`{value}` is not a deal type (expected {allowed})";
    StageUnknown => "« {value} » n'est pas une étape de ce type d'affaire ({allowed})", "`{value}` is not a stage of a {deal_type} deal (expected one of {allowed})";
    ContractTypeUnknown => "« {value} » n'est pas un type de contrat ({allowed})", "`{value}` is not a contract type (expected one of {allowed})";
    SettingsInvalid => "Paramètres commerciaux invalides : {detail}", "{label}: {detail}";
    EndBeforeStart => "La fin ne peut pas précéder le début", "{label}: the end date must not be before the start date";
    EventEndBeforeStart => "La fin doit suivre le début", "{label}: the end must be after the start";
    OwnRelation => "{label} : un tiers ne peut pas se désigner lui-même", "{label}: an account cannot point to itself";
    QuoteMove => "{label} : un devis « {from} » ne peut pas passer à « {to} »", "{label}: a `{from}` quote cannot become `{to}`";
    PriceEntry => "« {value} » : attendu RÉFÉRENCE=PRIX, par exemple GARDE-01=1100,00", "`{value}`: expected REFERENCE=PRICE, e.g. GARDE-01=1100.00";
    VatNumber => "{label} : « {value} » n'est pas un numéro de TVA français (FR, 2 caractères, puis les 9 chiffres du SIREN)", "{label}: `{value}` is not a French VAT number (FR, a 2-character key, the 9-digit SIREN)";
    LogoInvalid => "{label} : une image JPEG de 100 Ko au plus", "{label}: must be a JPEG image of at most 100 KB";
    FilterEmpty => "Un filtre enregistré a au moins un critère", "a saved filter needs at least one criterion";
    FilterTooMany => "Au plus {max} filtres enregistrés : supprimez-en un", "at most {max} saved filters: delete one first";
    FilterUnknown => "Aucun filtre enregistré ne s'appelle « {name} »", "no saved filter is called `{name}`";
    SettingsFixedId => "Il n'y a qu'une fiche de paramètres", "there is one settings record, with a fixed id";
    // Records and actions on this device.
    NotFound => "Aucune fiche {id} sur cet appareil", "no record has the id {id} on this device";
    OutsidePortfolio => "Cette fiche existe sur le serveur mais pas sur cet appareil (hors de votre portefeuille)", "this record exists on the server but is not on this device (outside your portfolio)";
    WrongType => "Cette fiche n'est pas du type attendu ({type})", "{id} is not a {type}";
    NothingToChange => "Rien à modifier : indiquez au moins un champ", "nothing to change: give at least one field";
    NotInConflict => "{label} n'est pas en conflit", "the field {field} of {id} is not in conflict";
    UnknownUserEmail => "Aucun utilisateur {email} n'est connu du serveur", "no user with the e-mail {email} is known to the server";
    UnknownProductReference => "Aucun produit n'a la référence {reference}", "no product has the reference {reference}";
    ImportFormat => "{path} n'est ni un classeur (.xlsx, .xls, .ods) ni un fichier CSV", "{path}: import a .xlsx, .xls, .ods or .csv file";
    ImportUnreadable => "Le fichier {path} est illisible : {detail}", "{path} cannot be read: {detail}";
    ImportEmpty => "Le fichier {path} n'a aucune ligne à importer sous ses en-têtes", "{path} has no rows under its header line";
    ImportSheet => "Le classeur n'a pas de feuille « {value} » (feuilles : {allowed})", "the workbook has no sheet `{value}` (sheets: {allowed})";
    ImportTooManyRows => "Le fichier a plus de {max} lignes : découpez-le", "the file has more than {max} rows: split it";
    ImportTarget => "« {value} » n'est pas un champ qu'un fichier peut remplir ({allowed})", "`{value}` is not a field a file can fill (one of {allowed})";
    ImportTargetTwice => "Deux colonnes vont dans le même champ « {value} »", "two columns go to the field `{value}`";
    ImportColumnMissing => "Aucune colonne ne donne {label}, obligatoire pour importer des fiches de type {type}", "no column gives {field}, which a {type} needs";
    ImportMapping => "Association de colonnes illisible ({path}) : {detail}", "the column mapping {path} cannot be read: {detail}";
    ImportMatchKey => "« {value} » n'est pas une clé de rapprochement ({allowed})", "`{value}` is not a match key (one of {allowed})";
    ImportMatchKeyType => "La clé de rapprochement « {value} » ne sert pas pour le type {type}", "the match key `{value}` does not identify a {type}";
    ImportMatchColumn => "La clé de rapprochement « {value} » demande une colonne {label}", "the match key `{value}` needs a column for {field}";
    ImportMode => "« {value} » n'est pas un mode d'import (create, update ou upsert)", "`{value}` is not an import mode: create, update or upsert";
    ImportAccountUnknown => "Aucun tiers ne correspond ({value})", "no account matches ({value})";
    ImportAccountAmbiguous => "Plusieurs tiers correspondent ({value}) : donnez le SIRET ou le code client", "several accounts match ({value}): give the SIRET or the customer code";
    ImportNoMatch => "Aucune fiche existante ne correspond ({value}) : en mode mise à jour, rien n'est créé", "no existing record matches ({value}); update mode creates nothing";
    ImportExists => "La fiche « {value} » existe déjà avec d'autres valeurs : importez en mode mise à jour (update ou upsert)", "`{value}` already exists with other values: import in update or upsert mode";
    ImportDuplicate => "Doublon probable de « {value} » ({detail}) : fusionnez ou corrigez la ligne", "likely duplicate of `{value}` ({detail}): merge or fix the row";
    ImportSameRow => "Même fiche que la ligne {row} du fichier", "the same record as row {row} of the file";
    ImportOwnerUnknown => "Aucun utilisateur {email} : le commercial doit avoir un compte", "no user {email}: the owner needs an account";
    ImportContactUnknown => "Aucun contact avec l'e-mail {email} chez ce tiers", "no contact with the e-mail {email} at this account";
    ImportBatchUnknown => "Aucun import {id} sur cet appareil", "no import {id} on this device";
    ImportUndone => "L'import {id} a déjà été annulé", "the import {id} was already undone";
    ImportMayNot => "Votre rôle ne permet pas d'importer des fiches de type {type}", "a {role} may not import records of type {type}";
    SirenInvalid => "SIREN : « {value} » n'est pas un SIREN valide (9 chiffres, clé de contrôle)", "siren: `{value}` is not a valid SIREN (9 digits with a valid key)";
    TicketContactElsewhere => "Ce contact n'est pas chez ce tiers", "this contact does not belong to this account";
    SegmentInvalid => "« {value} » n'est pas un critère de destinataires : écrivez critère=valeur, critères possibles : {allowed}", "`{value}` is not a segment criterion: write key=value, with key one of {allowed}";
    MailNotConfigured => "Le serveur n'envoie pas d'e-mails : l'administrateur doit lui donner un relais SMTP (--smtp)", "the server sends no e-mail: its administrator must give it an SMTP relay (--smtp)";
    CampaignSent => "Cette campagne est déjà envoyée", "this campaign was already sent";
    CampaignIncomplete => "Il manque à la campagne {label} pour être envoyée", "the campaign needs its {field} to be sent";
    MailUnreadable => "Cet e-mail est illisible : {detail}", "this e-mail cannot be read: {detail}";
    MailMayNotFile => "Votre rôle n'enregistre pas d'e-mails dans les historiques", "a {role} may not file e-mails in the timelines";
    MailNoContact => "Aucun contact connu dans cet e-mail ({value}) : il n'est pas enregistré", "no known contact in this e-mail ({value}): it is not kept";
    WeekInvalid => "« {value} » n'est pas une semaine : écrivez-la comme 2026-W49", "`{value}` is not a week: write it as 2026-W49";
    ReportInvalid => "Les chiffres de ce rapport sont illisibles : {detail}", "the report's figures cannot be read: {detail}";
    ReportNotYours => "On n'envoie que son propre rapport", "one sends only one's own report";
    DayInvalid => "{what} : « {value} » n'est pas une date, écrivez-la comme 2026-12-31", "{what}: `{value}` is not a date: write it as 2026-12-31";
    PeriodInvalid => "La période va du {from} au {to} : la fin doit suivre le début, sur au plus 5 ans", "the period from {from} to {to} must end after it starts and last at most 5 years";
    LeadConverted => "Cette piste est déjà convertie", "this lead was already converted";
    LeadMayNotConvert => "Convertir une piste crée un tiers et une affaire : votre rôle ne le permet pas. Qualifiez-la et attribuez-la à un commercial", "converting a lead creates an account and a deal, which a {role} may not do: qualify it and hand it to a rep";
    PhoneUnreadable => "« {value} » n'est pas un numéro de téléphone", "`{value}` is not a phone number";
    MergeSame => "Une fiche ne se fusionne pas avec elle-même", "a record cannot be merged with itself";
    MayNotMerge => "Fusionner supprime l'une des deux fiches : votre rôle ne le permet pas, voyez avec un responsable ou un administrateur", "merging deletes one of the two records: a {role} may not delete a {type}; ask a sales manager or an administrator";
    VcardNoCompany => "La fiche de {value} n'indique pas de société (ORG) : un contact est rattaché à un tiers", "the card of {value} names no company (ORG): a contact belongs to an account";
    ExportFormat => "Format d'export inconnu pour {path} : choisissez .xlsx ou .csv", "{path}: export to a .xlsx or .csv file";
    ExportFailed => "L'export vers {path} a échoué : {detail}", "could not write {path}: {detail}";
    QuoteNotDraft => "Seul un devis en brouillon se modifie : repassez-le en brouillon d'abord", "only a draft quote can be changed: take it back to draft first";
    QuoteNeedsLine => "Un devis a au moins une ligne", "lines: a quote needs at least one --line REF:QTY[:DISCOUNT%]";
    NotAnAttachment => "« {value} » n'est pas le nom d'une pièce jointe", "`{value}` is not the name of an attachment";
    AttachmentDamaged => "La pièce jointe {value} est arrivée endommagée : réessayez", "attachment {value} arrived damaged; try again";
    MayNotReassign => "Votre rôle ne permet pas de réattribuer un client : voyez avec un responsable ou un administrateur", "a {role} may not reassign accounts: ask a sales manager or an administrator";
    AdminOnlyErase => "Seul un administrateur peut effacer les données d'une personne", "only an administrator may erase a person's data";
    MayNotDeleteType => "Votre rôle ne permet pas de supprimer : voyez avec un responsable ou un administrateur", "a {role} may not delete records: ask a sales manager or an administrator to delete this {type}";
    KeyFileDamaged => "Le fichier des clés de cet appareil ({path}) est endommagé", "{path} is damaged";
    KeyParameters => "Le fichier des clés demande des paramètres que l'application n'utilise pas", "keys.json asks for key derivation parameters this app does not use";
    RecordExists => "Une fiche a déjà l'identifiant {id}", "a record with the id {id} already exists";
    NotAPerson => "Seuls un contact ou une piste sont des personnes qu'on peut effacer", "{id} is a {type}: only a contact or a lead is a person that can be erased";
    AttachmentQuota => "Vos pièces jointes occupent déjà {used} Mo sur les {quota} Mo permis : retirez-en du catalogue", "your attachments already take {used} MiB of the {quota} MiB allowed: remove some from the catalogue first";
    AttachmentHash => "La pièce jointe est arrivée endommagée : renvoyez-la", "the body's SHA-256 is {actual}, not {expected}: the upload was damaged";
    DeviceUnknown => "Aucun appareil {id}", "no device has the id {id}";
    CalendarUnknown => "Aucun agenda à cette adresse (elle a peut-être été remplacée)", "no calendar at this address (it may have been replaced)";
    DeviceNameLength => "Le nom de l'appareil a de 1 à 100 caractères", "device_name must be 1 to 100 characters";
    MayRevokeOwnDevices => "Vous ne pouvez révoquer que vos propres appareils", "you may revoke only your own devices";
    DatabaseLocked => "La base locale ne s'ouvre pas avec cette clé (mot de passe incorrect ?)", "the local database cannot be decrypted with this key (wrong password?)";
    DatabaseDamaged => "La base locale est endommagée ({detail}) : reconnectez-vous dans un nouveau dossier de données pour la restaurer depuis le serveur", "the local database is damaged ({detail}); restore it from the server by logging in on a new data directory";
    RoleMayNot => "Votre rôle ne permet pas cette action", "a {role} may not {action} {type}";
    NotLoggedIn => "Connectez-vous d'abord", "not logged in: run `crm login --server URL --email E` (or log in from the app) first";
    Locked => "Les données de cet appareil sont verrouillées : saisissez votre mot de passe", "this device's data is locked: give your password to unlock it (in the app, or `CRM_PASSWORD` / the prompt for `crm`)";
    WrongUnlockPassword => "Mot de passe incorrect : les données restent verrouillées", "wrong password: this device's data stays locked. If an administrator reset your password, unlock with the previous one, or erase this device's copy (`crm device reset`) and sync it again";
    OtherUsersDirectory => "Ce dossier de données appartient à un autre utilisateur", "this data directory belongs to another user: use a separate --data-dir for each user";
    ServerAddress => "« {value} » n'est pas une adresse de serveur (https://…)", "`{value}` is not a server address: it must start with https:// (or http://)";
    PlainHttp => "« {value} » est une adresse http:// non chiffrée vers une autre machine : utilisez son adresse https://", "`{value}` is plain http:// to another machine: passwords and customer data would cross the network unencrypted. Use the server's https:// address, or --insecure on a network you trust";
    LocalFile => "Fichier {path} : {detail}", "{path}: {detail}";
    FileNotFound => "Le fichier {path} est introuvable", "{path}: no such file";
    FileDenied => "Accès refusé au fichier {path}", "{path}: permission denied";
    DiskFull => "Le disque est plein : impossible d'écrire {path}", "the disk is full: cannot write {path}";
    AttachmentTooLarge => "{path} fait {size} Mo ; les pièces jointes sont limitées à {max} Mo", "{path} is {size} MB; attachments are limited to {max} MB";
    Internal => "Erreur interne : {detail}", "internal error: {detail}";
    // The server and the network.
    Offline => "Hors ligne : vos modifications restent sur cet appareil et partiront à la prochaine synchronisation", "Cannot reach the server at {server} ({why}); your changes are kept on this device and will be sent at the next sync.";
    ServerBusy => "Le serveur est occupé : vos modifications partiront à la prochaine synchronisation", "the server is busy; your changes are kept on this device and will be sent at the next sync.";
    WrongCredentials => "E-mail ou mot de passe incorrect", "wrong e-mail or password";
    SessionExpired => "Votre session a expiré : reconnectez-vous", "your session has expired or was revoked: log in again";
    NoToken => "Connectez-vous d'abord", "log in first: no bearer token was sent";
    SessionRenewed => "Cette session a déjà été renouvelée : reconnectez-vous", "this session was already renewed: use the newer token";
    AccountDisabled => "Ce compte utilisateur est désactivé : voyez avec un administrateur", "this user account is disabled: ask an administrator";
    TooManyAttempts => "Trop de tentatives : réessayez dans {seconds} s", "too many failed {what}: try again in {seconds} second(s)";
    TooManyAtOnce => "Trop de connexions en même temps depuis votre réseau : réessayez dans un instant", "too many logins at once from your network: try again in a moment";
    DeviceRevoked => "Cet appareil a été révoqué : ses données locales ont été effacées. Reconnectez-vous pour l'utiliser", "This device was revoked by you or an administrator: its local data has been erased. Log in again to use it.";
    UpdateRequired => "Mettez à jour l'application : le serveur parle une autre version du protocole", "this server speaks another sync protocol: please update the CRM app";
    DeviceOfAnotherUser => "Cet appareil est enregistré au nom d'un autre utilisateur", "this device is registered to another user";
    PasswordTooShort => "Le nouveau mot de passe doit avoir au moins 8 caractères", "the new password must be at least 8 characters";
    CurrentPasswordWrong => "Le mot de passe actuel est incorrect", "the current password is wrong";
    RequestTooLarge => "La requête est trop volumineuse (plus de {limit})", "the request body is larger than {limit}: send less at once";
    ServerRefused => "Le serveur a refusé : {detail}", "the server refused the request: {detail}";
    ServerError => "Le serveur a rencontré une erreur ; réessayez plus tard", "the server hit an internal error; try again later";
    UnexpectedAnswer => "Réponse inattendue du serveur", "unexpected answer from {server}: {detail}";
    RequestInvalid => "Requête refusée par le serveur : {detail}", "{detail}";
    NotOnServer => "Introuvable sur le serveur : {detail}", "{detail}";
    // The REST API (/api/v1).
    ApiKeyInvalid => "Clé d'API inconnue ou révoquée", "unknown or revoked API key: send `Authorization: Bearer <key>`";
    ApiParamUnknown => "Paramètre inconnu « {name} » ; paramètres acceptés : {allowed}", "unknown parameter `{name}`; accepted: {allowed}";
    ApiParamInvalid => "Paramètre « {name} » invalide : {detail}", "invalid parameter `{name}`: {detail}";
    ApiRateLimited => "Trop de requêtes avec cette clé : réessayez dans {seconds} s", "too many requests with this key: retry in {seconds} s";
    ApiBodyInvalid => "Le corps de la requête doit être un objet JSON : {detail}", "the request body must be a JSON object: {detail}";
    TextExpected => "{label} : un texte est attendu", "{label}: expected a text value (a string)";
    FieldReadOnly => "{label} ne se modifie pas", "{field} cannot be written";
    ServerBusyRetry => "Le serveur est occupé : réessayez dans quelques secondes", "the server is busy with other {kind}: try again in a few seconds";
    // Why the server refused a change (kept in the refused changes).
    RecordOutOfScope => "Cette fiche n'est plus dans votre périmètre (elle a peut-être été réattribuée)", "this record is outside what you may see (it may have been reassigned)";
    MayNotCreate => "Votre rôle ne permet pas de créer cette fiche", "a {role} may not create a {type}";
    MayOnlyCreateOwn => "Vous ne pouvez créer que vos propres fiches (ou celles de votre équipe)", "a {role} may only create a {type} that is theirs (or their team's)";
    MayNotChange => "Votre rôle ne permet pas de modifier cette fiche", "a {role} may not change this {type}";
    MayNotHandOver => "Seul un responsable ou un administrateur peut réattribuer cette fiche", "a {role} may not hand this {type} to someone outside their scope; a sales manager or an administrator can reassign it";
    MayNotDelete => "Votre rôle ne permet pas de supprimer : voyez avec un responsable ou un administrateur", "a {role} may not delete records; ask a sales manager or an administrator";
    OtherDevicesChange => "Cette modification vient d'un autre appareil : seul celui-ci peut l'envoyer", "this change was made on another device: only that device may send it";
    AuthorIsWriter => "L'auteur d'un compte rendu est la personne qui l'écrit", "the author of a visit report is the person who writes it";
    AuthorFixed => "L'auteur d'un compte rendu ne change pas", "the author of a visit report cannot change";
    StageHistoryKept => "L'historique des étapes d'une affaire se garde en entier", "the stage history of a deal is kept whole: moves cannot be taken out of it";
    StageMoveInFuture => "Le passage d'étape est daté dans le futur : vérifiez l'horloge de cet ordinateur", "the move of the deal is dated in the future: check this computer's clock";
    StageMoveAuthor => "Un passage d'étape nomme l'étape et la personne qui l'a fait", "a move of a deal names the stage and the user who made it";
    DerivedIdReserved => "Cet identifiant est réservé au contrat d'une affaire", "this record id is reserved for the contract of a deal";
    DealOfContractUnknown => "L'affaire de ce contrat n'est pas encore sur le serveur", "the deal of this contract is not on the server: send the deal first";
    ContractOfDealWriter => "Seule une personne qui peut modifier l'affaire crée son contrat", "only someone who may change the deal may create its contract";
    ContractOfDealOwner => "Le contrat d'une affaire appartient au propriétaire de l'affaire", "the contract of a deal belongs to the deal's owner";
    ErasedRecord => "Cette personne a été effacée (RGPD) : les modifications d'avant l'effacement sont refusées", "this record was erased at the person's request (RGPD): changes made before the erasure are refused";
    ReassignedBeforeSent => "Cette fiche a été réattribuée avant que votre modification n'atteigne le serveur ; votre saisie est conservée ici", "this record was reassigned outside what you may see before your change reached the server; your change is kept here";
    ChangeMalformed => "Modification illisible : {detail}", "not an Automerge change: {detail}";
    ChangeTooLarge => "Modification trop volumineuse : {detail}", "the change is too large: {detail}";
    RecordTooLarge => "La fiche dépasserait {max} Kio (elle en ferait {size})", "the record would take {size} KiB, at most {max} KiB are kept";
    NotThisProductsRecord => "Modification refusée : elle ne correspond pas à ce que l'application écrit ({detail})", "not a record this CRM writes: {detail}";
    MissingHistory => "Le serveur n'a pas les modifications précédentes de cette fiche : elles sont renvoyées", "the server lacks earlier changes of this record: send its whole history";
    RecordInvalid => "La fiche serait invalide : {detail}", "the record would be invalid: {detail}";
}

impl Problem {
    pub fn new(code: Code) -> Problem {
        Problem { code, field: None, params: BTreeMap::new() }
    }

    /// The field at fault.
    pub fn field(mut self, field: impl Into<String>) -> Problem {
        self.field = Some(field.into());
        self
    }

    /// A value the sentence names.
    pub fn param(mut self, name: &str, value: impl ToString) -> Problem {
        self.params.insert(name.to_string(), value.to_string());
        self
    }

    /// The sentence, in `lang`.
    pub fn text(&self, lang: Lang) -> String {
        let sentence = SENTENCES.iter().find(|s| s.code == self.code).expect("every code has its sentence");
        let template = match lang {
            Lang::Fr => sentence.fr,
            Lang::En => sentence.en,
        };
        let mut out = String::with_capacity(template.len() + 16);
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            let Some(close) = rest[open..].find('}') else { break };
            out.push_str(&rest[..open]);
            let name = &rest[open + 1..open + close];
            match self.value(name, lang) {
                Some(value) => out.push_str(&value),
                None => out.push_str(&rest[open..=open + close]),
            }
            rest = &rest[open + close + 1..];
        }
        out.push_str(rest);
        capitalise_first(out, lang)
    }

    fn value(&self, name: &str, lang: Lang) -> Option<String> {
        match name {
            "label" => Some(self.label(lang)),
            "field" => self.field.clone().or_else(|| self.params.get("field").cloned()),
            // French names values by their labels; English keeps the ids a script types.
            "type" | "role" | "allowed" | "from" | "to" if lang == Lang::Fr => {
                let raw = self.params.get(name)?;
                Some(self.french_words(name, raw))
            }
            _ => self.params.get(name).cloned(),
        }
    }

    /// A record type, a role, or values of the field's list, by their French labels.
    fn french_words(&self, name: &str, raw: &str) -> String {
        use crate::vocabulary::{RECORD_TYPES, ROLES, choices, label};
        match name {
            "type" => label(RECORD_TYPES, raw, Lang::Fr),
            "role" => label(ROLES, raw, Lang::Fr).to_lowercase(),
            _ => {
                let list = self
                    .params
                    .get("type")
                    .and_then(|t| t.parse::<RecordType>().ok())
                    .zip(self.field.as_deref())
                    .and_then(|(t, f)| choices(t, f));
                match list {
                    Some(list) if matches!(name, "allowed" | "from" | "to") => {
                        raw.split(", ").map(|id| label(list, id, Lang::Fr)).collect::<Vec<_>>().join(", ")
                    }
                    _ => raw.to_string(),
                }
            }
        }
    }

    /// The field's label: from the schema in French, the field's name in English.
    fn label(&self, lang: Lang) -> String {
        let field = self.field.as_deref().unwrap_or("record");
        if lang == Lang::En {
            return field.to_string();
        }
        let record_type = self.params.get("type").and_then(|t| t.parse::<RecordType>().ok());
        let types: Vec<RecordType> = record_type.map_or_else(|| RecordType::ALL.to_vec(), |t| vec![t]);
        types
            .into_iter()
            .find_map(|t| all_fields(t).find(|s| s.name == field).map(|s| s.label.to_string()))
            .unwrap_or_else(|| field.to_string())
    }
}

/// French sentences start with a capital (labels are lower-case in the schema).
fn capitalise_first(text: String, lang: Lang) -> String {
    if lang == Lang::En {
        return text;
    }
    let mut chars = text.chars();
    match chars.next() {
        Some(first) if first.is_lowercase() => first.to_uppercase().chain(chars).collect(),
        _ => text,
    }
}

impl std::fmt::Display for Problem {
    /// In English: what logs and tests read. Users read [`Problem::text`] in their language.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text(Lang::En))
    }
}

impl std::error::Error for Problem {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_problem_is_told_in_french_with_the_fields_label_and_in_english_with_its_name() {
        let p = Problem::new(Code::TooLong).field("name").param("max", 500).param("type", "account");
        assert_eq!(p.text(Lang::Fr), "Raison sociale : au plus 500 caractères");
        assert_eq!(p.text(Lang::En), "name: at most 500 characters");
        assert_eq!(p.to_string(), "name: at most 500 characters");
    }

    #[test]
    fn every_code_has_its_words_once_and_no_sentence_leaves_a_name_unfilled_when_given_its_values() {
        let mut seen = std::collections::HashSet::new();
        for s in SENTENCES {
            assert!(seen.insert(s.code), "{:?} twice", s.code);
            assert!(!s.fr.is_empty() && !s.en.is_empty());
        }
    }

    #[test]
    fn the_locale_chooses_the_language() {
        assert_eq!(Lang::from_locale(Some("fr_FR.UTF-8")), Lang::Fr);
        assert_eq!(Lang::from_locale(Some("en_GB.UTF-8")), Lang::En);
        assert_eq!(Lang::from_locale(None), Lang::En);
    }

    #[test]
    fn a_problem_travels_as_code_field_and_params() {
        let p = Problem::new(Code::IntegerRange).field("probability").param("min", 0).param("max", 100);
        let json = serde_json::to_value(&p).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"code": "integer_range", "field": "probability", "params": {"max": "100", "min": "0"}})
        );
        assert_eq!(serde_json::from_value::<Problem>(json).unwrap(), p);
    }
}
