#!/usr/bin/env bash
# Seeds the demo that scripts/run.sh shows: a sales manager, Marc Lefèvre
# (manager@example.fr), and his rep, Démo Commercial (demo@example.fr), both with the
# password demo-password; the manager's catalogue; the rep's portfolio in the Hauts-de-France
# (36 accounts with their contacts, two months of visit reports, calls and notes, running
# contracts, deals at every stage, one won by moving it and one by an accepted quote,
# quotes, this week's appointments and tasks, last week's report sent to the manager).
# Everything is entered with the real `crm` command on two devices of its own, as a
# person would, then synced; dates are relative to the day of the seeding.
#
# Idempotent: once done it leaves DATA_DIR/demo-seeded and does nothing the next time
# (delete the server's data directory to start over).
#
# Usage: scripts/demo-seed.sh --bin DIR --server URL --data-dir DIR
#   --bin       where crm and crm-server are (e.g. target/debug)
#   --server    the running server's address (e.g. http://127.0.0.1:8080)
#   --data-dir  the server's data directory (--data-dir of `crm-server serve`)
set -euo pipefail

bin="" server="" data_dir=""
while (($#)); do
  case "$1" in
    --bin) bin="${2:?}"; shift 2 ;;
    --server) server="${2:?}"; shift 2 ;;
    --data-dir) data_dir="${2:?}"; shift 2 ;;
    *) echo "demo-seed: unknown option $1 (see the header of $0)" >&2; exit 2 ;;
  esac
done
[[ -n "$bin" && -n "$server" && -n "$data_dir" ]] || { echo "demo-seed: --bin, --server and --data-dir are needed" >&2; exit 2; }
CRM="$bin/crm"
SERVER_BIN="$bin/crm-server"
MARKER="$data_dir/demo-seeded"
if [[ -f "$MARKER" ]]; then
  echo "demo-seed: the demo data is already there ($MARKER)"
  exit 0
fi
started=$SECONDS

PASSWORD=demo-password
MANAGER=manager@example.fr
REP=demo@example.fr

# --- The users --------------------------------------------------------------------------
users="$("$SERVER_BIN" user list --data-dir "$data_dir")"
if ! grep -q "$MANAGER" <<<"$users"; then
  echo "$PASSWORD" | "$SERVER_BIN" user add --data-dir "$data_dir" --email "$MANAGER" \
    --name "Marc Lefèvre" --role manager >/dev/null
fi
if grep -q "$REP" <<<"$users"; then
  # Made by an earlier run.sh, without a manager.
  "$SERVER_BIN" user set-manager --data-dir "$data_dir" --email "$REP" --manager "$MANAGER" >/dev/null
else
  echo "$PASSWORD" | "$SERVER_BIN" user add --data-dir "$data_dir" --email "$REP" \
    --name "Démo Commercial" --role rep --manager "$MANAGER" >/dev/null
fi

# --- Two devices of the `crm` command ---------------------------------------------------
# The data key stays out of the session's keyring: each command unlocks with the password.
export CRM_NO_KEYRING=1 CRM_PASSWORD="$PASSWORD" LANG=C.UTF-8
devices="$data_dir/demo-devices"
rm -rf "$devices"
mkdir -p "$devices/manager" "$devices/rep" "$devices/files"
files="$devices/files"
manager() { "$CRM" --data-dir "$devices/manager" --json "$@"; }
rep() { "$CRM" --data-dir "$devices/rep" --json "$@"; }
# The id of the record a command printed.
id() { python3 -c 'import json, sys; print(json.load(sys.stdin)["id"])'; }
# Dates from today, kept off the weekend: date_of N is N days from today (a Saturday or
# Sunday moves to the Friday before for today and past dates, to the Monday after for
# future ones), day N the same as spreadsheets write it (14/03/2026); work N is the Nth
# working day from today (0: today, or the next Monday), at N HH:MM a time that day
# (RFC 3339, Paris time).
date_of() {
  local n="$1" d
  d="$(date -d "$n days" +%F)"
  case "$(date -d "$d" +%u)" in
    6) if ((n <= 0)); then d="$(date -d "$d -1 day" +%F)"; else d="$(date -d "$d +2 days" +%F)"; fi ;;
    7) if ((n <= 0)); then d="$(date -d "$d -2 days" +%F)"; else d="$(date -d "$d +1 day" +%F)"; fi ;;
  esac
  echo "$d"
}
day() { date -d "$(date_of "$1")" +%d/%m/%Y; }
iso() { date_of "$1"; }
work() {
  local n="$1" d
  d="$(date +%F)"
  while (($(date -d "$d" +%u) > 5)); do d="$(date -d "$d +1 day" +%F)"; done
  while ((n > 0)); do
    d="$(date -d "$d +1 day" +%F)"
    (($(date -d "$d" +%u) > 5)) || n=$((n - 1))
  done
  echo "$d"
}
at() { TZ=Europe/Paris date -d "$(work "$1") $2" +%Y-%m-%dT%H:%M:%S%:z; }

# An import that must take every row: the report is checked, errors shown.
import_all() {
  local what="$1" file="$2" device="$3" report
  report="$("$CRM" --data-dir "$devices/$device" --json import "$what" "$file")"
  python3 - "$what" "$report" <<'PY'
import json, sys
what, report = sys.argv[1], json.loads(sys.argv[2])
if report["errors"] or report["created"] != report["rows"]:
    sys.exit(f"demo-seed: importing {what}: {report['created']} of {report['rows']} rows created, errors: {report['errors']}")
PY
}

echo "$PASSWORD" | manager login --server "$server" --email "$MANAGER" --device-name "Démo (responsable)" >/dev/null
echo "$PASSWORD" | rep login --server "$server" --email "$REP" --device-name "Démo (commercial)" >/dev/null

# --- The manager's catalogue ------------------------------------------------------------
cat >"$files/catalogue.csv" <<'CSV'
Référence;Désignation;Prix unitaire HT;TVA;Argumentaire
GARDE-01;Service de garde 24 h/24 (par site et par an);1250,00;20;Un technicien sur place en moins de 2 heures, nuits, week-ends et jours fériés compris.
GARDE-02;Astreinte week-end (par site et par an);480,00;20;Le samedi et le dimanche couverts, pour les sites fermés en semaine.
MAINT-01;Visite de maintenance préventive;320,00;20;Un contrôle complet des installations avec son rapport écrit.
COMPTA01;Tenue comptable (par mois);390,00;20;Saisie, rapprochements bancaires et déclarations de TVA.
COMPTA02;Bilan annuel et liasse fiscale;1450,00;20;Le bilan, le compte de résultat et la liasse déposés à temps.
INFO-001;Infogérance d'un poste de travail (par mois);45,00;20;Mises à jour, antivirus et assistance à distance illimitée.
INFO-002;Sauvegarde externalisée (par mois);89,90;20;Sauvegarde chiffrée chaque nuit, hébergée en France.
FORM-001;Formation des utilisateurs (journée);950,00;20;Une journée sur site pour huit personnes au plus.
CSV
import_all products "$files/catalogue.csv" manager
manager sync >/dev/null

# --- The rep's portfolio: accounts, contacts, contracts, past activities ----------------
rep sync >/dev/null
cat >"$files/comptes.csv" <<'CSV'
Code client;Raison sociale;Type;Adresse;Code postal;Ville;Téléphone;E-mail;Secteur;Étiquettes
C0001;Boulangerie Martin;Client;12 rue des Trois Cailloux;80000;Amiens;03 22 91 12 34;contact@boulangerie-martin.fr;Boulangerie-pâtisserie;fidèle
C0002;Garage Lefèvre Automobiles;Client;45 avenue de la Défense Passive;80000;Amiens;03 22 44 56 78;atelier@garage-lefevre.fr;Réparation automobile;
C0003;Clinique vétérinaire des Hortillonnages;Client;8 chemin de Halage;80000;Amiens;03 22 92 40 11;accueil@veto-hortillonnages.fr;Santé animale;vip
C0004;Pharmacie du Beffroi;Client;2 place de l'Hôtel de Ville;80100;Abbeville;03 22 24 15 60;pharmacie.beffroi@orange.fr;Pharmacie;
C0005;Menuiserie Dubois et Fils;Client;ZA du Moulin;80300;Albert;03 22 75 08 19;dubois.menuiserie@wanadoo.fr;Menuiserie;
C0006;Transports Caron;Client;150 route de Paris;80200;Péronne;03 22 84 33 70;exploitation@transports-caron.fr;Transport routier;grand compte
C0007;Hôtel du Cygne;Prospect;5 rue du Chevalier de la Barre;80100;Abbeville;03 22 20 41 02;reservation@hotel-du-cygne.fr;Hôtellerie;
C0008;Cabinet Roussel Expertise;Partenaire;27 boulevard Jules Verne;80000;Amiens;03 22 50 66 90;cabinet@roussel-expertise.fr;Expertise comptable;
C0009;Imprimerie Picarde;Client;3 rue de l'Industrie;80080;Amiens;03 22 46 31 85;devis@imprimerie-picarde.fr;Imprimerie;
C0010;EHPAD Les Tilleuls;Client;14 allée des Tilleuls;60000;Beauvais;03 44 48 12 00;direction@ehpad-lestilleuls.fr;Santé;vip
C0011;Laiterie de la Bresle;Prospect;Route d'Eu;80220;Gamaches;03 22 26 10 47;achats@laiterie-bresle.fr;Agroalimentaire;grand compte
C0012;Brasserie du Marais;Prospect;9 quai Bélu;80000;Amiens;03 22 97 88 21;brasseriedumarais@gmail.com;Restauration;
C0013;Cabinet dentaire Ledoux;Client;31 rue Saint-Fuscien;80000;Amiens;03 22 95 17 43;secretariat@dentaire-ledoux.fr;Santé;
C0014;Somme Habitat Immobilier;Prospect;6 rue de Noyon;80000;Amiens;03 22 71 52 30;agence@somme-habitat.fr;Immobilier;
C0015;Serrurerie Moreau;Client;18 rue Jean Jaurès;60100;Creil;03 44 25 60 14;serrurerie.moreau@free.fr;Serrurerie;
C0016;Mairie de Corbie;Prospect;Place de la République;80800;Corbie;03 22 96 43 43;accueil@mairie-corbie.fr;Collectivité;
C0017;Camping Les Étangs;Prospect;Chemin des Étangs;80120;Fort-Mahon-Plage;03 22 23 36 00;camping.lesetangs@orange.fr;Tourisme;
C0018;Électricité Bernard;Distributeur;22 rue de la Gare;60200;Compiègne;03 44 40 20 51;commandes@electricite-bernard.fr;Électricité;
C0019;Ambulances Picardie Secours;Client;4 rue Pasteur;02100;Saint-Quentin;03 23 62 45 90;regulation@picardie-secours.fr;Transport sanitaire;vip
C0020;Auto-école Vauban;Prospect;12 rue Vauban;62000;Arras;03 21 71 38 24;autoecole.vauban@gmail.com;Formation;
C0021;Fromagerie Lemaire;Client;7 rue du Marché;60300;Senlis;03 44 53 07 62;fromagerie.lemaire@orange.fr;Commerce alimentaire;
C0022;Fontaine et Associés Avocats;Prospect;40 boulevard Carnot;59800;Lille;03 20 55 71 16;contact@fontaine-avocats.fr;Juridique;
C0023;Plomberie Chauffage Petit;Client;9 rue des Jacobins;02200;Soissons;03 23 53 29 80;petit.plomberie@wanadoo.fr;Plomberie;
C0024;Lycée professionnel Jean Monnet;Prospect;Avenue Jean Monnet;02000;Laon;03 23 26 60 00;intendance@lp-jeanmonnet.fr;Enseignement;
C0025;Coopérative agricole du Santerre;Client;Route de Roye;80500;Montdidier;03 22 78 05 55;accueil@coop-santerre.fr;Agriculture;grand compte
C0026;Maison médicale du Val de Nièvre;Prospect;2 rue du Moulin;80420;Flixecourt;03 22 51 37 29;maisonmedicale.nievre@gmail.com;Santé;
C0027;Informatique Services Oise;Fournisseur;60 rue de Paris;60180;Nogent-sur-Oise;03 44 71 90 02;support@is-oise.fr;Informatique;
C0028;Boucherie Leroy;Client;3 place du Marché;80400;Ham;03 23 81 04 37;boucherie.leroy@orange.fr;Commerce alimentaire;
C0029;Garage du Vermandois;Prospect;88 rue de Paris;02100;Saint-Quentin;03 23 64 90 18;garage.vermandois@free.fr;Réparation automobile;
C0030;Hôtel-restaurant La Baie;Client;1 quai Lejoille;80230;Saint-Valery-sur-Somme;03 22 60 80 09;contact@hotel-labaie.fr;Hôtellerie;vip
C0031;SCI Les Jardins d'Amiens;Prospect;55 rue Jules Barni;80000;Amiens;03 22 33 48 75;gestion@jardins-amiens.fr;Immobilier;
C0032;Centre équestre de la Vallée;Prospect;Chemin de la Vallée;60500;Chantilly;03 44 57 21 63;equitation.vallee@gmail.com;Loisirs;
C0033;Carrosserie Dumont;Client;7 rue de Compiègne;80700;Roye;03 22 87 14 52;carrosserie.dumont@orange.fr;Réparation automobile;
C0034;Lambert BTP;Client;10 rue Gustave Eiffel;80080;Amiens;03 22 43 70 26;secretariat@lambert-btp.fr;Bâtiment;grand compte
C0035;Crèche Les P'tits Loups;Prospect;11 rue des Écoles;60400;Noyon;03 44 09 44 18;creche.ptitsloups@noyon.fr;Petite enfance;
C0036;Vision Plus Opticien;Client;23 rue Gambetta;80100;Abbeville;03 22 31 55 04;visionplus.abbeville@orange.fr;Optique;
CSV
import_all accounts "$files/comptes.csv" rep

cat >"$files/contacts.csv" <<'CSV'
Code client;Prénom;Nom;Fonction;Téléphone;Mobile;E-mail;Accord e-mailing
C0001;Jeanne;Martin;Gérante;03 22 91 12 34;06 12 45 78 90;jeanne@boulangerie-martin.fr;Oui
C0001;Paul;Martin;Chef boulanger;;06 23 56 89 01;paul@boulangerie-martin.fr;Non
C0002;Thierry;Lefèvre;Gérant;03 22 44 56 78;06 34 67 90 12;t.lefevre@garage-lefevre.fr;Oui
C0003;Claire;Vasseur;Vétérinaire associée;03 22 92 40 11;06 45 78 01 23;c.vasseur@veto-hortillonnages.fr;Oui
C0003;Hugo;Delattre;Responsable administratif;03 22 92 40 12;;h.delattre@veto-hortillonnages.fr;Oui
C0004;Isabelle;Carpentier;Pharmacienne titulaire;03 22 24 15 60;06 56 89 12 34;i.carpentier@orange.fr;Oui
C0005;Bernard;Dubois;Gérant;03 22 75 08 19;06 67 90 23 45;bernard.dubois@wanadoo.fr;Non
C0006;Nathalie;Caron;Directrice générale;03 22 84 33 70;06 78 01 34 56;n.caron@transports-caron.fr;Oui
C0006;Franck;Boulanger;Responsable d'exploitation;03 22 84 33 72;06 89 12 45 67;f.boulanger@transports-caron.fr;Oui
C0006;Sophie;Hennebert;Comptable;03 22 84 33 75;;s.hennebert@transports-caron.fr;Non
C0007;Olivier;Deschamps;Directeur;03 22 20 41 02;06 90 23 56 78;direction@hotel-du-cygne.fr;Oui
C0008;Laurent;Roussel;Expert-comptable;03 22 50 66 90;06 01 34 67 89;l.roussel@roussel-expertise.fr;Oui
C0009;Sylvie;Dufour;Directrice;03 22 46 31 85;06 13 46 79 02;s.dufour@imprimerie-picarde.fr;Oui
C0010;Catherine;Lemoine;Directrice;03 44 48 12 00;06 24 57 80 13;c.lemoine@ehpad-lestilleuls.fr;Oui
C0010;Didier;Fournier;Responsable technique;03 44 48 12 05;06 35 68 91 24;d.fournier@ehpad-lestilleuls.fr;Oui
C0011;Emmanuel;Leclercq;Directeur d'usine;03 22 26 10 47;06 46 79 02 35;e.leclercq@laiterie-bresle.fr;Oui
C0011;Aurélie;Pruvost;Acheteuse;03 22 26 10 50;;a.pruvost@laiterie-bresle.fr;Oui
C0012;Julien;Masson;Gérant;03 22 97 88 21;06 57 80 13 46;brasseriedumarais@gmail.com;Non
C0013;Anne;Ledoux;Chirurgien-dentiste;03 22 95 17 43;06 68 91 24 57;a.ledoux@dentaire-ledoux.fr;Oui
C0014;Romain;Benoît;Directeur d'agence;03 22 71 52 30;06 79 02 35 68;r.benoit@somme-habitat.fr;Oui
C0015;Patrick;Moreau;Artisan serrurier;03 44 25 60 14;06 80 13 46 79;serrurerie.moreau@free.fr;Oui
C0016;Martine;Devaux;Directrice générale des services;03 22 96 43 43;;dgs@mairie-corbie.fr;Oui
C0017;Christophe;Lenglet;Gérant;03 22 23 36 00;06 91 24 57 80;camping.lesetangs@orange.fr;Non
C0018;Éric;Bernard;Gérant;03 44 40 20 51;06 02 35 68 91;e.bernard@electricite-bernard.fr;Oui
C0019;Valérie;Lamotte;Directrice;03 23 62 45 90;06 14 47 70 03;v.lamotte@picardie-secours.fr;Oui
C0019;Stéphane;Herbet;Responsable de la régulation;03 23 62 45 91;06 25 58 81 14;s.herbet@picardie-secours.fr;Oui
C0020;Karine;Dupuis;Gérante;03 21 71 38 24;06 36 69 92 25;autoecole.vauban@gmail.com;Oui
C0021;Gérard;Lemaire;Fromager affineur;03 44 53 07 62;06 47 70 03 36;fromagerie.lemaire@orange.fr;Oui
C0022;Hélène;Fontaine;Avocate associée;03 20 55 71 16;06 58 81 14 47;h.fontaine@fontaine-avocats.fr;Oui
C0023;Alain;Petit;Artisan plombier;03 23 53 29 80;06 69 92 25 58;petit.plomberie@wanadoo.fr;Non
C0024;Michel;Gosselin;Proviseur;03 23 26 60 00;;proviseur@lp-jeanmonnet.fr;Oui
C0024;Sandrine;Mercier;Intendante;03 23 26 60 02;;intendance@lp-jeanmonnet.fr;Oui
C0025;Jean-Pierre;Duchêne;Président;03 22 78 05 55;06 70 03 36 69;jp.duchene@coop-santerre.fr;Oui
C0025;Céline;Wattebled;Directrice administrative et financière;03 22 78 05 60;06 81 14 47 70;c.wattebled@coop-santerre.fr;Oui
C0026;Marie;Lecomte;Médecin coordinatrice;03 22 51 37 29;;maisonmedicale.nievre@gmail.com;Oui
C0027;Yannick;Delcourt;Technicien;03 44 71 90 02;06 92 25 58 81;y.delcourt@is-oise.fr;Oui
C0028;Francis;Leroy;Artisan boucher;03 23 81 04 37;;boucherie.leroy@orange.fr;Non
C0029;David;Ramette;Chef d'atelier;03 23 64 90 18;06 03 36 69 92;garage.vermandois@free.fr;Oui
C0030;Camille;Bouchard;Directrice;03 22 60 80 09;06 15 48 71 04;c.bouchard@hotel-labaie.fr;Oui
C0030;Antoine;Vérin;Chef de cuisine;03 22 60 80 10;;cuisine@hotel-labaie.fr;Non
C0031;Philippe;Warin;Gérant;03 22 33 48 75;06 26 59 82 15;p.warin@jardins-amiens.fr;Oui
C0032;Laure;Caudron;Monitrice et gérante;03 44 57 21 63;06 37 60 93 26;equitation.vallee@gmail.com;Oui
C0033;Sébastien;Dumont;Carrossier;03 22 87 14 52;06 48 71 04 37;carrosserie.dumont@orange.fr;Oui
C0034;Frédéric;Lambert;Président;03 22 43 70 26;06 59 82 15 48;f.lambert@lambert-btp.fr;Oui
C0034;Nadia;Benali;Responsable des services généraux;03 22 43 70 30;06 60 93 26 59;n.benali@lambert-btp.fr;Oui
C0035;Elodie;Poiret;Directrice;03 44 09 44 18;;creche.ptitsloups@noyon.fr;Oui
C0036;Vincent;Beaurain;Opticien gérant;03 22 31 55 04;06 71 04 37 60;visionplus.abbeville@orange.fr;Oui
CSV
import_all contacts "$files/contacts.csv" rep

cat >"$files/contrats.csv" <<CSV
Code client;Type de contrat;Statut;Date de début;Tacite reconduction;Durée en mois;Préavis en mois;Montant;Périodicité
C0001;on_call;Actif;$(day -580);Oui;12;3;104,00;Mensuelle
C0003;on_call;Actif;$(day -630);Oui;12;3;1250,00;Annuelle
C0004;it_services;Actif;$(day -290);Oui;12;2;135,00;Mensuelle
C0006;on_call;Actif;$(day -895);Oui;36;6;3750,00;Annuelle
C0009;it_services;Actif;$(day -325);Oui;12;1;270,00;Mensuelle
C0010;on_call;Actif;$(day -115);Oui;12;3;1250,00;Annuelle
C0013;accounting;Actif;$(day -280);Oui;12;3;390,00;Mensuelle
C0019;on_call;Actif;$(day -185);Oui;12;3;2500,00;Annuelle
C0021;accounting;Actif;$(day -65);Oui;12;3;1170,00;Trimestrielle
C0025;it_services;Actif;$(day -610);Oui;24;3;890,00;Mensuelle
C0030;on_call;Actif;$(day -255);Oui;12;2;1250,00;Annuelle
C0034;it_services;Actif;$(day -150);Oui;12;3;1080,00;Mensuelle
CSV
import_all contracts "$files/contrats.csv" rep

cat >"$files/activites.csv" <<CSV
Code client;Type;Date;Objet;Compte rendu;Relance;E-mail du contact
C0001;Visite;$(day -54) 09:30;Visite annuelle;Rencontré Jeanne Martin. Très satisfaite du service de garde : une intervention un dimanche de janvier sur le four, réglée en 1 h 30. Souhaite un devis pour le second magasin de la rue de Beauvais.;$(day 6);jeanne@boulangerie-martin.fr
C0006;Rendez-vous;$(day -50) 14:00;Présentation du service de garde multi-sites;Nathalie Caron et Franck Boulanger présents. Trois dépôts à couvrir (Péronne, Roye, Ham). Attendent une proposition chiffrée avant le comité de direction.;;n.caron@transports-caron.fr
C0010;Visite;$(day -47) 10:00;Tour des installations;Visite avec Didier Fournier : parc de 12 postes vieillissants, pas de sauvegarde hors site. Intérêt pour l'infogérance et la sauvegarde externalisée.;;d.fournier@ehpad-lestilleuls.fr
C0011;Appel;$(day -45) 11:15;Premier contact;Aurélie Pruvost confirme un appel d'offres pour la maintenance de l'usine au printemps. Envoyer nos références agroalimentaires.;;a.pruvost@laiterie-bresle.fr
C0003;E-mail;$(day -42) 16:20;Envoi des conditions de renouvellement;Conditions de renouvellement envoyées au Dr Vasseur, avec l'option astreinte week-end.;;c.vasseur@veto-hortillonnages.fr
C0019;Visite;$(day -40) 09:00;Point annuel;Valérie Lamotte satisfaite des délais d'intervention. Projet d'ouverture d'une deuxième base à Chauny en fin d'année.;$(day 20);v.lamotte@picardie-secours.fr
C0012;Appel;$(day -38) 15:00;Prospection;Julien Masson rappelé : la chambre froide est tombée en panne deux fois cet été. Rendez-vous à prendre après la saison.;;
C0025;Rendez-vous;$(day -35) 10:30;Revue du contrat informatique;Revue avec Céline Wattebled : 18 postes couverts, demande d'ajouter les 4 postes du silo de Rosières.;;c.wattebled@coop-santerre.fr
C0034;Visite;$(day -33) 08:30;Visite du siège;Frédéric Lambert veut regrouper l'informatique des chantiers. Nadia Benali suivra le dossier. Audit des besoins à planifier.;;f.lambert@lambert-btp.fr
C0007;Appel;$(day -31) 17:45;Prise de contact;Olivier Deschamps ouvert à une rencontre, l'hôtel a changé de propriétaire en début d'année.;;direction@hotel-du-cygne.fr
C0016;Note;$(day -29) 12:00;Marché public;La mairie publie chaque année un marché de maintenance des bâtiments, en mars. Surveiller la plateforme des marchés publics.;;
C0002;Visite;$(day -27) 14:30;Visite de courtoisie;Thierry Lefèvre envisage l'informatique de l'atelier (diagnostic, facturation). Pas de budget avant la rentrée.;;t.lefevre@garage-lefevre.fr
C0024;Rendez-vous;$(day -26) 10:00;Rencontre avec l'intendance;Besoin de formation des personnels administratifs au nouveau logiciel de gestion. Budget voté au conseil d'administration de juin.;;intendance@lp-jeanmonnet.fr
C0030;Visite;$(day -24) 11:00;Visite annuelle;Camille Bouchard prépare la saison : veut une astreinte renforcée en juillet et août. Proposer GARDE-02 en complément.;;c.bouchard@hotel-labaie.fr
C0013;Appel;$(day -22) 09:15;Clôture de l'exercice;Dr Ledoux demande le calendrier du bilan. Rendez-vous fixé avec le cabinet.;;a.ledoux@dentaire-ledoux.fr
C0014;E-mail;$(day -21) 18:05;Relance suite au salon;Relance envoyée à Romain Benoît après le salon de l'immobilier d'Amiens.;$(day -7);r.benoit@somme-habitat.fr
C0005;Appel;$(day -20) 08:45;Panne de la raboteuse;Appel de Bernard Dubois : panne un samedi, intervention sous 2 heures. Client rassuré, à revoir pour l'extension du contrat.;;bernard.dubois@wanadoo.fr
C0022;Rendez-vous;$(day -19) 15:30;Découverte;Hélène Fontaine : 9 postes et un serveur de fichiers sous le bureau, aucune sauvegarde. Envoyer une proposition infogérance et sauvegarde.;;h.fontaine@fontaine-avocats.fr
C0011;Visite;$(day -17) 09:30;Visite de l'usine;Visite avec Emmanuel Leclercq : deux lignes de conditionnement, astreinte exigée 7 j/7. Le comité d'investissement se réunit dans deux mois.;;e.leclercq@laiterie-bresle.fr
C0036;Visite;$(day -16) 16:00;Présentation infogérance;Vincent Beaurain intéressé par la sauvegarde des dossiers clients (ordonnances).;;visionplus.abbeville@orange.fr
C0009;Appel;$(day -14) 10:20;Incident serveur;Serveur d'impression bloqué : résolu à distance en 40 minutes. Sylvie Dufour remercie l'équipe.;;s.dufour@imprimerie-picarde.fr
C0031;Note;$(day -13) 13:00;Projet de résidence;Résidence de 40 logements livrée l'an prochain : service de garde des parties communes à proposer au gestionnaire.;;
C0020;Appel;$(day -12) 11:40;Prospection;Karine Dupuis gère trois agences (Arras, Lens, Béthune) : intérêt pour l'infogérance des postes.;;autoecole.vauban@gmail.com
C0006;E-mail;$(day -11) 09:05;Envoi de la proposition;Proposition multi-sites envoyée à Nathalie Caron, avec 10 % de remise sur les trois sites.;;n.caron@transports-caron.fr
C0010;Rendez-vous;$(day -10) 14:00;Présentation de l'offre;Offre d'infogérance présentée à Catherine Lemoine. Décision attendue au prochain conseil.;;c.lemoine@ehpad-lestilleuls.fr
C0028;Visite;$(day -9) 10:00;Passage en boutique;Francis Leroy veut un devis pour la maintenance de ses vitrines réfrigérées.;$(day 3);
C0015;Appel;$(day -8) 16:30;Point de satisfaction;Patrick Moreau satisfait, demande une formation à la facturation électronique pour sa secrétaire.;;serrurerie.moreau@free.fr
C0032;Visite;$(day -7) 10:30;Découverte;Laure Caudron : 60 chevaux en pension, alarmes des écuries à relier à une astreinte.;;equitation.vallee@gmail.com
C0033;Note;$(day -6) 17:00;Contrat à renouveler;Le contrat de Sébastien Dumont arrive à échéance : préparer une proposition de garde.;;
C0026;Appel;$(day -5) 09:40;Prise de rendez-vous;Rendez-vous pris avec le Dr Lecomte pour présenter la sauvegarde des dossiers patients.;;maisonmedicale.nievre@gmail.com
C0034;Rendez-vous;$(day -4) 09:00;Audit des besoins;Audit mené avec Nadia Benali : 25 postes, 6 chantiers équipés de tablettes. Solution en cours de conception.;$(day 4);n.benali@lambert-btp.fr
C0018;Appel;$(day -3) 14:15;Partenariat;Éric Bernard propose de recommander notre service de garde à ses clients électriciens.;;e.bernard@electricite-bernard.fr
C0021;Visite;$(day -2) 11:00;Visite trimestrielle;Gérard Lemaire ouvre une seconde boutique à Chantilly : même formule comptable à prévoir.;;fromagerie.lemaire@orange.fr
C0029;Appel;$(day -1) 15:50;Relance;David Ramette attend le retour de son associé avant de signer.;$(day 5);garage.vermandois@free.fr
C0019;Note;$(day -1) 18:10;Deuxième base;La deuxième base de Chauny ouvrira le 1er du mois prochain : prévoir l'avenant au contrat de garde.;;
C0001;Appel;$(day 0) 08:40;Devis second magasin;Jeanne Martin confirme : le second magasin ouvre dans six semaines. Devis à envoyer cette semaine.;;jeanne@boulangerie-martin.fr
CSV
import_all activities "$files/activites.csv" rep

# --- Deals at every stage, quotes, the contracts they make ------------------------------
declare -A account
while IFS=$'\t' read -r external record; do
  account[$external]="$record"
done < <(rep account list | python3 -c '
import json, sys
for a in json.load(sys.stdin):
    print(a.get("external_id", ""), a["id"], sep="\t")')
(( ${#account[@]} == 36 )) || { echo "demo-seed: expected 36 accounts, found ${#account[@]}" >&2; exit 1; }

deal() {
  local code="$1" title="$2" type="$3" stage="$4" amount="$5" close="$6" priority="${7:-normal}"
  rep deal add --account "${account[$code]}" --title "$title" --type "$type" --stage "$stage" \
    --amount "$amount" --expected-close "$(iso "$close")" --priority "$priority" | id
}
deal C0001 "Service de garde — second magasin" simple qualification 1250 45 >/dev/null
deal C0012 "Maintenance de la chambre froide" simple qualification 640 75 low >/dev/null
deal C0028 "Maintenance des vitrines réfrigérées" simple proposal 960 30 >/dev/null
deal C0036 "Sauvegarde des dossiers clients" simple proposal 1078.80 40 >/dev/null
deal C0015 "Formation à la facturation électronique" simple negotiation 950 15 high >/dev/null
deal C0029 "Service de garde de l'atelier" simple negotiation 1250 10 >/dev/null
deal C0020 "Infogérance des trois agences" complex qualification 6480 120 >/dev/null
deal C0024 "Formation des personnels administratifs" complex analysis 4750 90 >/dev/null
deal C0034 "Informatique des chantiers" complex solution 18600 75 high >/dev/null
deal C0022 "Infogérance et sauvegarde du cabinet" complex proposal 5940 35 >/dev/null
deal C0011 "Service de garde 7 j/7 de l'usine" complex committee 15000 55 high >/dev/null
rep deal add --account "${account[C0007]}" --title "Astreinte de l'hôtel" --stage lost --amount 480 \
  --expected-close "$(iso -10)" --lost-reason "Budget reporté par le nouveau propriétaire" >/dev/null
rep deal edit "$(deal C0026 "Sauvegarde des dossiers patients" simple proposal 1078.80 20)" \
  --stage lost --lost-reason "Solution choisie par l'ordre des médecins" >/dev/null
# Won by moving it: the service contract is created.
rep deal edit "$(deal C0033 "Service de garde de la carrosserie" simple negotiation 1250 -3)" --stage won >/dev/null

# Quotes on the catalogue: one sent, one accepted (which wins its deal), one draft.
ehpad="$(deal C0010 "Infogérance des 12 postes" complex negotiation 7558.80 25 high)"
quote="$(rep quote add --account "${account[C0010]}" --deal "$ehpad" --line INFO-001:12 --line INFO-002:1 \
  --line FORM-001:1 | id)"
rep quote edit "$quote" --status sent >/dev/null
caron="$(deal C0006 "Service de garde des dépôts de Roye et Ham" complex committee 2250 5 high)"
quote="$(rep quote add --account "${account[C0006]}" --deal "$caron" --line GARDE-01:2:10% | id)"
rep quote edit "$quote" --status sent >/dev/null
rep quote edit "$quote" --status accepted >/dev/null
rep quote add --account "${account[C0030]}" --line GARDE-02:1 --line MAINT-01:2 >/dev/null

# --- This week: appointments and tasks --------------------------------------------------
event() {
  local code="$1" title="$2" date="$3" start="$4" end="$5" place="$6"
  rep event add --title "$title" --start "$(at "$date" "$start")" --end "$(at "$date" "$end")" \
    --account "${account[$code]}" --place "$place" >/dev/null
}
event C0001 "Devis du second magasin" 0 09:30 10:30 "Amiens"
event C0034 "Présentation de la solution chantiers" 0 14:00 15:30 "Amiens"
event C0011 "Comité d'investissement de la laiterie" 1 10:00 12:00 "Gamaches"
event C0030 "Préparation de la saison d'été" 2 11:00 12:00 "Saint-Valery-sur-Somme"
event C0019 "Avenant pour la base de Chauny" 3 09:00 10:00 "Saint-Quentin"
event C0022 "Soutenance de la proposition" 4 16:00 17:00 "Lille"
event C0016 "Rencontre avec la DGS" 6 10:00 11:00 "Corbie"

task() {
  local code="$1" title="$2" due="$3"
  rep task add --title "$title" --due "$due" --account "${account[$code]}" >/dev/null
}
task C0014 "Rappeler Romain Benoît (salon de l'immobilier)" "$(iso -2)"
task C0001 "Envoyer le devis du second magasin" "$(work 0)"
task C0028 "Chiffrer la maintenance des vitrines" "$(work 0)"
task C0006 "Préparer le contrat des dépôts de Roye et Ham" "$(work 1)"
task C0010 "Relancer Catherine Lemoine après le conseil" "$(work 3)"
task C0034 "Envoyer le planning de déploiement des tablettes" "$(work 4)"
task C0016 "Surveiller la publication du marché de maintenance" "$(work 8)"

# Last week's report, with a comment, for the manager.
rep report submit --week "$(date -d '7 days ago' +%G-W%V)" \
  --comment "Bonne semaine : l'usine de Gamaches passe en comité, la proposition Lambert BTP avance." >/dev/null

rep sync >/dev/null
manager sync >/dev/null
touch "$MARKER"
echo "demo-seed: demo data ready in $((SECONDS - started)) s (manager $MANAGER, rep $REP, password $PASSWORD)"
