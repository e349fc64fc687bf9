//! User-facing words in French (the default) and English. The chosen language is kept in
//! localStorage. Messages coming from the backend (validation errors, sync errors) are
//! shown as they are: the backend writes them.

export type Lang = 'fr' | 'en';

const STORAGE_KEY = 'crm-terrain.lang';

const fr = {
  'app.title': 'CRM Terrain',
  'lang.switch': 'English',
  'lang.switchTitle': 'Switch the interface to English',

  'login.title': 'Connexion',
  'login.subtitle': 'Connectez-vous à votre serveur CRM. Vous pourrez ensuite travailler hors ligne.',
  'login.server': 'Adresse du serveur',
  'login.email': 'E-mail',
  'login.password': 'Mot de passe',
  'login.submit': 'Se connecter',
  'login.busy': 'Connexion…',

  'header.online': 'En ligne',
  'header.offline': 'Hors ligne',
  'header.onlineTitle': 'Le serveur est joignable : les modifications partent automatiquement.',
  'header.offlineTitle': 'Serveur injoignable : vos modifications sont gardées sur cet ordinateur.',
  'header.pending.one': 'modification en attente',
  'header.pending.many': 'modifications en attente',
  'header.rejected.one': '{count} modification refusée',
  'header.rejected.many': '{count} modifications refusées',
  'header.rejectedTitle': 'Modifications refusées par le serveur lors d’une synchronisation (droits ou données non valides).',
  'header.lastSync': 'Dernière synchronisation :',
  'header.neverSynced': 'Jamais synchronisé',
  'header.sync': 'Synchroniser',
  'header.syncing': 'Synchronisation…',
  'header.syncReport': '{pushed} envoyée(s), {pulled} reçue(s), {rejected} refusée(s)',
  'header.logout': 'Se déconnecter',
  'header.syncErrorPrefix': 'Échec de la synchronisation :',

  'sidebar.title': 'Portefeuille',
  'sidebar.search': 'Rechercher un tiers, un contact, une activité…',
  'sidebar.searchLabel': 'Recherche',
  'sidebar.newAccount': 'Nouveau tiers',
  'sidebar.empty': 'Aucun tiers pour le moment. Créez le premier avec « Nouveau tiers ».',
  'sidebar.noResults': 'Aucun résultat pour « {query} ».',
  'sidebar.count.one': '{count} tiers',
  'sidebar.count.many': '{count} tiers',
  'sidebar.results.one': '{count} résultat',
  'sidebar.results.many': '{count} résultats',
  'sidebar.conflictMarker': 'Modifications concurrentes à vérifier',

  'hit.account': 'Tiers',
  'hit.contact': 'Contact',
  'hit.activity': 'Activité',

  'home.title': 'Bienvenue',
  'home.body': 'Choisissez un tiers dans le portefeuille, ou créez-en un avec « Nouveau tiers ». Tout fonctionne hors ligne : les modifications partent au serveur dès qu’il est joignable.',

  'account.kind.prospect': 'Prospect',
  'account.kind.customer': 'Client',
  'account.kind.distributor': 'Distributeur',
  'account.kind.partner': 'Partenaire',
  'account.kind.supplier': 'Fournisseur',

  'field.name': 'Raison sociale',
  'field.kind': 'Type de tiers',
  'field.siret': 'SIRET',
  'field.address': 'Adresse',
  'field.postal_code': 'Code postal',
  'field.city': 'Ville',
  'field.country': 'Pays',
  'field.phone': 'Téléphone',
  'field.email': 'E-mail',
  'field.website': 'Site web',
  'field.sector': 'Secteur',
  'field.tags': 'Étiquettes',
  'field.tagsHint': 'Séparées par des virgules',
  'field.owner': 'Commercial',
  'field.contact.name': 'Nom',
  'field.job_title': 'Fonction',
  'field.mobile': 'Mobile',
  'field.activity.kind': 'Type d’activité',
  'field.subject': 'Objet',
  'field.at': 'Date et heure',
  'field.body': 'Compte rendu',
  'field.follow_up': 'Date de relance',
  'field.contacts': 'Contacts',
  'field.account': 'Tiers',

  'form.save': 'Enregistrer',
  'form.saving': 'Enregistrement…',
  'form.cancel': 'Annuler',
  'form.newAccount': 'Nouveau tiers',
  'form.editAccount': 'Modifier le tiers',
  'form.identity': 'Identité',
  'form.location': 'Adresse',
  'form.contactDetails': 'Coordonnées',
  'form.choose': '— Choisir —',

  'account.edit': 'Modifier',
  'account.details': 'Fiche',
  'account.loading': 'Chargement…',
  'account.notFound': 'Ce tiers est introuvable : {message}',
  'account.empty': 'Non renseigné',

  'conflicts.title': 'Modifications concurrentes',
  'conflicts.help': 'Ces champs ont été modifiés en même temps sur plusieurs appareils. La valeur affichée est celle retenue pour l’instant ; choisissez celle à garder.',
  'conflicts.kept': 'Valeur retenue',
  'conflicts.other': 'Autre valeur',
  'conflicts.keep': 'Garder cette valeur',
  'conflicts.emptyValue': '(vide)',

  'contacts.title': 'Contacts',
  'contacts.new': 'Nouveau contact',
  'contacts.empty': 'Aucun contact enregistré.',

  'timeline.title': 'Historique',
  'timeline.new': 'Nouvelle activité',
  'timeline.empty': 'Aucune activité pour ce tiers.',
  'timeline.edit': 'Modifier',
  'timeline.followUp': 'Relance le {date}',
  'timeline.noSubject': 'Sans objet',

  'activity.kind.visit': 'Compte rendu de visite',
  'activity.kind.note': 'Note',
  'activity.kind.call': 'Appel',
  'activity.kind.email': 'E-mail',
  'activity.kind.meeting': 'Rendez-vous',

  'error.notInTauri': 'Cette interface doit être ouverte dans l’application CRM Terrain.',
};

type Key = keyof typeof fr;

const en: Record<Key, string> = {
  'app.title': 'CRM Terrain',
  'lang.switch': 'Français',
  'lang.switchTitle': 'Passer l’interface en français',

  'login.title': 'Sign in',
  'login.subtitle': 'Sign in to your CRM server. You can then work offline.',
  'login.server': 'Server address',
  'login.email': 'E-mail',
  'login.password': 'Password',
  'login.submit': 'Sign in',
  'login.busy': 'Signing in…',

  'header.online': 'Online',
  'header.offline': 'Offline',
  'header.onlineTitle': 'The server is reachable: changes are sent automatically.',
  'header.offlineTitle': 'Server unreachable: your changes are kept on this computer.',
  'header.pending.one': 'pending change',
  'header.pending.many': 'pending changes',
  'header.rejected.one': '{count} change refused',
  'header.rejected.many': '{count} changes refused',
  'header.rejectedTitle': 'Changes the server refused during a sync (permissions or invalid data).',
  'header.lastSync': 'Last sync:',
  'header.neverSynced': 'Never synced',
  'header.sync': 'Sync',
  'header.syncing': 'Syncing…',
  'header.syncReport': '{pushed} sent, {pulled} received, {rejected} refused',
  'header.logout': 'Sign out',
  'header.syncErrorPrefix': 'Sync failed:',

  'sidebar.title': 'Portfolio',
  'sidebar.search': 'Search accounts, contacts, activities…',
  'sidebar.searchLabel': 'Search',
  'sidebar.newAccount': 'New account',
  'sidebar.empty': 'No accounts yet. Create the first one with “New account”.',
  'sidebar.noResults': 'No results for “{query}”.',
  'sidebar.count.one': '{count} account',
  'sidebar.count.many': '{count} accounts',
  'sidebar.results.one': '{count} result',
  'sidebar.results.many': '{count} results',
  'sidebar.conflictMarker': 'Concurrent changes to review',

  'hit.account': 'Account',
  'hit.contact': 'Contact',
  'hit.activity': 'Activity',

  'home.title': 'Welcome',
  'home.body': 'Pick an account in the portfolio, or create one with “New account”. Everything works offline: changes go to the server as soon as it is reachable.',

  'account.kind.prospect': 'Prospect',
  'account.kind.customer': 'Customer',
  'account.kind.distributor': 'Distributor',
  'account.kind.partner': 'Partner',
  'account.kind.supplier': 'Supplier',

  'field.name': 'Company name',
  'field.kind': 'Account type',
  'field.siret': 'SIRET',
  'field.address': 'Address',
  'field.postal_code': 'Postal code',
  'field.city': 'City',
  'field.country': 'Country',
  'field.phone': 'Phone',
  'field.email': 'E-mail',
  'field.website': 'Website',
  'field.sector': 'Sector',
  'field.tags': 'Tags',
  'field.tagsHint': 'Comma separated',
  'field.owner': 'Sales rep',
  'field.contact.name': 'Name',
  'field.job_title': 'Job title',
  'field.mobile': 'Mobile',
  'field.activity.kind': 'Activity type',
  'field.subject': 'Subject',
  'field.at': 'Date and time',
  'field.body': 'Report',
  'field.follow_up': 'Follow-up date',
  'field.contacts': 'Contacts',
  'field.account': 'Account',

  'form.save': 'Save',
  'form.saving': 'Saving…',
  'form.cancel': 'Cancel',
  'form.newAccount': 'New account',
  'form.editAccount': 'Edit account',
  'form.identity': 'Identity',
  'form.location': 'Address',
  'form.contactDetails': 'Contact details',
  'form.choose': '— Choose —',

  'account.edit': 'Edit',
  'account.details': 'Details',
  'account.loading': 'Loading…',
  'account.notFound': 'This account cannot be found: {message}',
  'account.empty': 'Not set',

  'conflicts.title': 'Concurrent changes',
  'conflicts.help': 'These fields were changed at the same time on several devices. The value shown is the one kept for now; choose the one to keep.',
  'conflicts.kept': 'Kept value',
  'conflicts.other': 'Other value',
  'conflicts.keep': 'Keep this value',
  'conflicts.emptyValue': '(empty)',

  'contacts.title': 'Contacts',
  'contacts.new': 'New contact',
  'contacts.empty': 'No contacts yet.',

  'timeline.title': 'History',
  'timeline.new': 'New activity',
  'timeline.empty': 'No activity for this account.',
  'timeline.edit': 'Edit',
  'timeline.followUp': 'Follow up on {date}',
  'timeline.noSubject': 'No subject',

  'activity.kind.visit': 'Visit report',
  'activity.kind.note': 'Note',
  'activity.kind.call': 'Call',
  'activity.kind.email': 'E-mail',
  'activity.kind.meeting': 'Meeting',

  'error.notInTauri': 'This interface must be opened inside the CRM Terrain application.',
};

const dictionaries: Record<Lang, Record<Key, string>> = { fr, en };

function storedLang(): Lang {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'fr';
  } catch {
    return 'fr';
  }
}

let current: Lang = storedLang();

export function lang(): Lang {
  return current;
}

/** The BCP 47 locale used for dates and numbers. */
export function locale(): string {
  return current === 'fr' ? 'fr-FR' : 'en-GB';
}

export function setLang(next: Lang): void {
  current = next;
  document.documentElement.lang = next;
  try {
    localStorage.setItem(STORAGE_KEY, next);
  } catch {
    // Private mode or storage disabled: the choice lasts for this session only.
  }
}

/** Translates `key`, replacing `{name}` placeholders with `params`. */
export function t(key: Key, params: Record<string, string | number> = {}): string {
  const text = dictionaries[current][key] ?? fr[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

/** Picks `<base>.one` or `<base>.many`; French treats 0 and 1 as singular. */
export function tCount(base: string, count: number, params: Record<string, string | number> = {}): string {
  const singular = current === 'fr' ? count <= 1 : count === 1;
  const key = `${base}.${singular ? 'one' : 'many'}` as Key;
  return t(key, { count, ...params });
}

/** Translates a key built at run time (a field name, a kind), falling back to `fallback`. */
export function tMaybe(key: string, fallback: string): string {
  return key in fr ? t(key as Key) : fallback;
}

export type { Key as MessageKey };
