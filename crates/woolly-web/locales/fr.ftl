# L'interface web de Woolly en français.

## Le cadre de chaque page
skip-to-content = Aller au contenu
nav-label = Principal
nav-home = Accueil
nav-profile = Votre profil
nav-about = À propos
nav-local = Ce serveur
nav-federated = Partout
nav-bookmarks = Signets
nav-bookmarks-intro = Les messages que vous avez mis en signet, les plus récents d'abord. Vous seul·e les voyez.
nav-favourites = Favoris
nav-favourites-intro = Les messages que vous avez ajoutés à vos favoris, les plus récents d'abord.
nav-search = Rechercher
local-intro = Les messages publics écrits sur ce serveur, les plus récents d'abord.
federated-intro = Les messages publics de tous les serveurs que celui-ci connaît, les plus récents d'abord.
tag-intro = Les messages publics avec #{ $name }, les plus récents d'abord.
tag-follow = Suivre #{ $name }
tag-unfollow = Ne plus suivre #{ $name }
timeline-empty = Pas encore de messages ici.
sign-in = Se connecter
sign-out = Se déconnecter
sign-up = Créer un compte
privacy-policy = Politique de confidentialité
terms = Conditions d'utilisation
powered-by = Propulsé par Woolly, logiciel libre
back-home = Retour à l'accueil

## Page d'accueil et à propos
landing-title = Bienvenue
landing-recent-posts = Messages récents de ce serveur
landing-no-posts = Personne n'a encore publié publiquement ici.
landing-more-about = En savoir plus sur ce serveur
people-count = { $count ->
    [one] { $count } personne
   *[other] { $count } personnes
}
posts-count = { $count ->
    [one] { $count } message
   *[other] { $count } messages
}
rules = Règles de ce serveur
contact = Contact
joining-approval = Les modérateurs examinent chaque inscription avant que le compte puisse servir.
joining-invite-only = Pour rejoindre ce serveur, il faut une invitation de quelqu'un qui y est.
joining-closed = Ce serveur n'accepte pas de nouveaux comptes pour le moment. Vous pouvez rejoindre un autre serveur et quand même suivre les gens d'ici et leur parler.
about-severity-suspend = coupé : rien n'en est reçu, rien ne lui est envoyé
about-severity-silence = limité : ses messages n'atteignent ici que leurs abonné·es
about-severity-noop = ses médias ou signalements ne sont pas acceptés
about-moderated = Serveurs modérés
about-moderated-intro = Ce serveur limite ou coupe ces serveurs :
about-moderated-none = Ce serveur ne limite aucun autre serveur.
about-read-privacy = Lire comment ce serveur traite vos données

## Messages
boosted-by = { $name } a partagé
show-more = Afficher plus
sensitive-media = Média sensible : sélectionnez pour l'afficher
hidden-media = Médias (cachés selon vos préférences)
open-media = Ouvrir la pièce jointe
poll-voters = { $count ->
    [one] { $count } personne a voté
   *[other] { $count } personnes ont voté
}
poll-closed = Terminé
poll-ends = Se termine le { $date }
poll-choose = Votre choix
poll-vote = Voter
boost = Partager
favourite = Ajouter aux favoris
bookmark = Mettre en signet
bookmarked = En signet
delete = Supprimer
edit = Modifier
edit-heading = Modifier votre message
edited = (modifié)
cancel = Annuler
replies-count = { $count ->
    [one] { $count } réponse
   *[other] { $count } réponses
}
boosts-count = { $count ->
    [one] { $count } partage
   *[other] { $count } partages
}
favourites-count = { $count ->
    [one] { $count } favori
   *[other] { $count } favoris
}
date-time = { $date } UTC
month-1 = janv.
month-2 = févr.
month-3 = mars
month-4 = avr.
month-5 = mai
month-6 = juin
month-7 = juil.
month-8 = août
month-9 = sept.
month-10 = oct.
month-11 = nov.
month-12 = déc.
visibility-public = Public
visibility-unlisted = Public discret
visibility-private = Abonnés seulement
visibility-direct = Personnes mentionnées seulement

## Formulaires
form-has-errors = Certains champs sont à revoir.
field-username = Nom d'utilisateur
field-username-hint = Lettres, chiffres et tirets bas. Les autres vous trouveront sous @nom.
field-email = Adresse e-mail
field-password = Mot de passe
field-password-hint = Au moins 8 caractères.
field-new-password = Nouveau mot de passe
field-login = Adresse e-mail ou nom d'utilisateur
field-two-factor = Code à deux facteurs
field-two-factor-hint = Seulement si vous avez activé la connexion à deux facteurs.
field-date-of-birth = Date de naissance
field-invite-code = Code d'invitation
field-reason = Pourquoi voulez-vous nous rejoindre ?
field-reason-hint = Les modérateurs le lisent avant d'approuver votre compte.
field-agreement = J'accepte les règles de ce serveur et sa
field-display-name = Nom affiché
save = Enregistrer
rule-blank = Ce champ est obligatoire.
rule-invalid = Ce n'est pas valide.
rule-taken = C'est déjà pris.
rule-reserved = C'est réservé.
rule-accepted = Veuillez accepter pour continuer.
rule-blocked = utilise un fournisseur d'e-mail refusé
rule-inclusion = Ce n'est pas l'un des choix possibles.
rule-too-long = C'est trop long.
rule-too-short = C'est trop court.
rule-below-limit = C'est en dessous de la limite.

## Erreurs
error-heading = Un problème est survenu
error-not-found = Cette page n'existe pas, ou vous ne pouvez pas la voir.
error-throttled = Trop de tentatives. Attendez quelques minutes et réessayez.
error-forbidden = Vous n'avez pas le droit de faire cela.
error-signed-out = Votre session a pris fin. Veuillez vous reconnecter.
error-internal = Un problème est survenu de notre côté. Veuillez réessayer.
error-form-expired = Ce formulaire a expiré. Vérifiez ce que vous avez saisi et envoyez-le de nouveau.

## Inscription
sign-up-heading = Créez votre compte
sign-up-intro = Rejoignez { $server }. Cela prend une minute, et vous pourrez suivre des gens sur n'importe quel serveur du fédivers.
sign-up-have-account = Vous avez déjà un compte ?
sign-up-closed-heading = Les inscriptions sont fermées
setup-heading = Consultez vos e-mails
setup-text = Nous avons envoyé un lien à { $email }. Ouvrez-le pour confirmer votre adresse, et c'est parti.
setup-resent = Nous avons renvoyé le lien.
confirmation-send-again = Renvoyer le lien
pending-heading = Votre compte attend d'être approuvé
pending-text = Merci d'avoir confirmé votre adresse. Un modérateur va examiner votre inscription ; nous vous écrirons dès qu'elle sera approuvée.
confirmed-heading = Votre adresse e-mail est confirmée
confirmed-text = Merci. Vous pouvez maintenant vous connecter depuis votre application ou votre navigateur.
confirmation-broken-heading = Ce lien de confirmation ne fonctionne pas
confirmation-broken-text = Il a peut-être déjà servi ou expiré. Vous pouvez en demander un nouveau.
start-heading = Bienvenue à bord
start-intro = Choisissez votre nom et votre image, et suivez quelques personnes pour remplir votre fil d'accueil. Vous pouvez tout passer.
start-avatar = Une image de vous (facultatif)
start-follow-heading = Des gens de ce serveur
start-continue = Aller à votre fil d'accueil
follow = Suivre
follow-someone = Suivre { $name }
following = Abonné·e

## Connexion
sign-in-heading = Se connecter à { $server }
sign-in-failed = L'adresse e-mail, le mot de passe ou le code à deux facteurs est incorrect.
sign-in-code-needed = Saisissez le code de votre application à deux facteurs.
sign-in-no-account = Pas encore de compte ?
forgot-password = Mot de passe oublié ?
reset-intro = Saisissez l'adresse e-mail de votre compte : nous y enverrons un lien pour choisir un nouveau mot de passe.
reset-send = Envoyer le lien
reset-sent-heading = Consultez vos e-mails
reset-sent-text = Si un compte a cette adresse, un lien pour choisir un nouveau mot de passe est en route. Il est valable une heure.
reset-choose = Choisissez un nouveau mot de passe
reset-change = Changer mon mot de passe
reset-link-broken = Ce lien ne fonctionne pas : il a déjà servi ou a expiré.
reset-ask-again = Demander un nouveau lien
password-changed-heading = Votre mot de passe a été changé
password-changed-text = Vous pouvez maintenant vous connecter avec votre nouveau mot de passe. Toutes les autres sessions ont été déconnectées.

## Accueil et rédaction
compose-heading = Écrire un message
compose-text = Votre message
compose-placeholder = Qu'avez-vous en tête ?
compose-warning = Avertissement de contenu (facultatif)
compose-warning-placeholder = Avertissement de contenu (facultatif)
compose-visibility = Qui peut le voir
compose-limit = { $count } caractères au plus
compose-publish = Publier
compose-images = Ajouter des images
compose-images-hint = Jusqu'à quatre images. Décrivez chacune pour les personnes qui ne peuvent pas la voir.
compose-image = Image
compose-alt = Description (texte alternatif)
compose-sensitive = Cacher les images derrière un avertissement
compose-poll = Ajouter un sondage
compose-poll-option = Choix
compose-poll-duration = Ouvert pendant
compose-poll-multiple = Permettre plusieurs choix
compose-language = Langue
compose-alt-required = Chaque image doit avoir une description (vos préférences le demandent).
compose-alt-missing = Décrivez cette image, ou retirez-la.
duration-minutes = { $count ->
    [one] { $count } minute
   *[other] { $count } minutes
}
duration-hours = { $count ->
    [one] { $count } heure
   *[other] { $count } heures
}
duration-days = { $count ->
    [one] { $count } jour
   *[other] { $count } jours
}
compose-left = { $count } restants
copy = Copier
copied = Copié
home-empty = Votre fil d'accueil est vide. Les messages des personnes que vous suivez s'affichent ici, les plus récents d'abord.
older-posts = Messages plus anciens
# Shown by the script as new posts arrive; %n is their number.
new-posts-one = Afficher %n nouveau message
new-posts-other = Afficher %n nouveaux messages
more-people = Plus de personnes
more-servers = Plus de serveurs
featured-hashtags = Hashtags mis en avant
profile-tabs = Messages affichés
profile-tab-posts = Messages
profile-tab-replies = Messages et réponses
profile-tab-media = Médias
posts-tagged = Messages avec #{ $name }

## Autoriser des applications
authorize-title = Autoriser { $app }
authorize-heading = Permettre à { $app } d'utiliser votre compte
authorize-asks = Elle demande :
authorize-as = Vous êtes connecté·e en tant que @{ $handle }.
authorize = Autoriser
deny = Refuser
authorize-denied = Vous avez refusé la demande d'autorisation.
authorize-failed-heading = Cette demande d'autorisation ne peut pas aboutir
authorize-bad-response-type = Le serveur d'autorisation ne prend pas en charge ce type de réponse.
authorization-code = Code d'autorisation
authorization-code-text = Copiez ce code et collez-le dans { $app } :

## Profiles and threads
locked = Approuve ses abonné·es
bot = Automatisé
unfollow = Ne plus suivre
pinned = Épinglés
posts = Messages
reply = Répondre
replies = Réponses
thread-before = Plus tôt dans la conversation
joined = Inscrit·e le { $date }
following-count = { $count ->
    [one] { $count } abonnement
   *[other] { $count } abonnements
}
followers-count = { $count ->
    [one] { $count } abonné·e
   *[other] { $count } abonné·es
}

## Notifications
nav-notifications = Notifications
notifications-empty = Rien pour l'instant. Quand des gens vous suivront, vous mentionneront ou aimeront vos messages, vous le verrez ici.
older-notifications = Notifications plus anciennes
notification-follow = { $name } vous suit
notification-follow-request = { $name } demande à vous suivre
notification-mention = { $name } vous a mentionné·e
notification-reblog = { $name } a partagé votre message
notification-favourite = { $name } a ajouté votre message à ses favoris
notification-poll = Un sondage auquel vous avez participé est terminé
notification-status = { $name } vient de publier
notification-update = { $name } a modifié un message
notification-moderation-warning = La modération vous a envoyé un avertissement : lisez-le et faites appel
notification-admin-report = { $name } a fait un signalement
notification-admin-sign-up = { $name } s'est inscrit·e
notification-other = Il s'est passé quelque chose avec { $name }
notifications-filtered = { $count ->
    [one] 1 personne que vous ne connaissez peut-être pas vous a écrit : voir
   *[other] { $count } personnes que vous ne connaissez peut-être pas vous ont écrit : voir
}
requests-title = Notifications filtrées
requests-intro = Les notifications de personnes que vous ne connaissez peut-être pas attendent ici, selon vos réglages ci-dessous. Acceptez quelqu'un pour le laisser passer désormais ; ignorez pour supprimer ce qu'il a envoyé.
requests-empty = Personne n'attend ici.
requests-count = { $count ->
    [one] 1 mention
   *[other] { $count } mentions
}
requests-accept = Accepter
requests-dismiss = Ignorer
policy-title = Quelles notifications retenir
policy-not-following = Personnes que vous ne suivez pas
policy-not-followers = Personnes qui ne vous suivent pas
policy-new-accounts = Nouveaux comptes (moins de 30 jours)
policy-private-mentions = Mentions privées non sollicitées
policy-limited-accounts = Comptes limités par la modération
policy-accept = Afficher
policy-filter = Filtrer
policy-drop = Ignorer
policy-save = Enregistrer

## Search
search-label = Rechercher des personnes, des hashtags ou des messages
search-placeholder = @nom@serveur, #hashtag ou des mots
search-nothing = Rien trouvé.
search-people = Personnes
search-hashtags = Hashtags

## Settings
settings = Paramètres
settings-profile = Profil
settings-preferences = Préférences
settings-password = Mot de passe
settings-sessions = Sessions et applications
settings-saved = Enregistré.
settings-password-saved = Votre mot de passe a été changé. Toutes les autres sessions ont été déconnectées.
language-name = Français
# How the digits of large numbers are grouped by thousands.
number-group-separator = { "\u202F" }
error-form-unreadable = Le formulaire n'a pas pu être lu. Veuillez réessayer.
field-bio = Biographie
field-fields = Champs du profil
field-fields-hint = Jusqu'à quatre intitulés et contenus affichés sur votre profil, comme vos pronoms ou un site web.
field-label = Intitulé
field-content = Contenu
field-avatar = Avatar
field-header = Image d'en-tête
field-locked = Approuver moi-même les nouveaux abonnements
field-discoverable = Suggérer mon compte aux autres et le faire figurer dans l'annuaire
field-indexable = Permettre que mes messages publics soient trouvés par la recherche
field-bot = Ce compte est automatisé
field-locale = Langue de cette interface et des e-mails
field-default-privacy = Qui peut voir mes messages, par défaut
field-default-language = Langue de mes messages
field-default-language-hint = Le formulaire de rédaction, et les applications qui la demandent, la proposent d'abord.
field-default-sensitive = Marquer mes médias comme sensibles par défaut
language-any = Laisser chaque application choisir
preferences-posting = Publication
preferences-reading = Lecture
field-require-alt-text = Me demander de décrire chaque image avant sa publication
field-expand-media = Images et vidéos
expand-media-default = Cacher derrière un avertissement celles marquées sensibles
expand-media-show_all = Toujours les montrer
expand-media-hide_all = Toujours les cacher derrière un avertissement
field-expand-spoilers = Toujours ouvrir les messages qui ont un avertissement de contenu
field-current-password = Mot de passe actuel
sessions-intro = Chaque navigateur et application connectés à votre compte. En mettre fin les déconnecte aussitôt.
sessions-operator = Créée par l'administrateur
sessions-this-one = Ce navigateur
sessions-revoke = Déconnecter

## Across servers
interaction-following = Vous suivez ce compte, ou l'avez demandé.
interaction-not-found-heading = Rien trouvé à cette adresse
interaction-not-found = Cette adresse ne désigne aucun compte ni message que ce serveur ait pu trouver.
remote-follow-label = Suivre ou répondre depuis votre propre serveur
remote-follow-hint = Sur un autre serveur du fédivers ? Saisissez votre adresse là-bas.
remote-follow-go = Aller sur mon serveur
remote-follow-failed-heading = Votre serveur est introuvable
remote-follow-failed = { $handle } n'est pas une adresse dont le serveur indique où suivre. Saisissez-la sous la forme nom@serveur.example.
settings-blocks = Blocages et masquages
blocks-intro = Les personnes bloquées ne peuvent ni vous suivre ni voir vos messages, et vous ne voyez pas les leurs. Les personnes masquées disparaissent de vos fils et de vos notifications ; elles ne le savent pas.
blocks-accounts = Personnes bloquées
blocks-muted = Personnes masquées
blocks-none = Personne.
blocks-domains = Serveurs bloqués
blocks-domains-hint = Rien d'un serveur bloqué n'arrive dans vos fils ni vos notifications, et ses membres ne vous suivent plus.
blocks-domain-label = Un serveur à bloquer
blocks-domain-add = Bloquer ce serveur
blocks-domain-invalid = Ce n'est pas un nom de serveur.
block = Bloquer
unblock = Débloquer
mute = Masquer
unmute = Ne plus masquer
settings-two-factor = Connexion à deux facteurs
settings-email = Adresse e-mail
settings-email-now = Votre adresse est { $email }.
settings-email-pending = Un lien de confirmation a été envoyé à { $email } ; votre adresse change une fois qu'il est suivi.
settings-email-new = Nouvelle adresse
settings-email-change = Changer mon adresse
settings-email-sent = Nous avons envoyé un lien à la nouvelle adresse. Votre adresse change une fois que vous l'avez suivi.
two-factor-intro = Avec la connexion à deux facteurs, se connecter demande aussi un code d'une application sur votre téléphone : un mot de passe volé ne suffit plus.
two-factor-set-up = La mettre en place
two-factor-add = Ajoutez cette clé à votre application d'authentification (ou ouvrez le lien ci-dessous sur votre téléphone), puis saisissez le code qu'elle affiche.
two-factor-open-app = Ouvrir dans une application d'authentification
two-factor-code = Code de l'application
two-factor-enable = L'activer
two-factor-on = La connexion à deux facteurs est activée.
two-factor-recovery = Gardez ces codes de secours en lieu sûr : chacun vous connecte une fois si vous perdez votre téléphone. Ils ne sont montrés qu'une fois.
two-factor-is-on = La connexion à deux facteurs est activée pour votre compte.
two-factor-disable = La désactiver
settings-filters = Filtres
filters-intro = Les messages contenant ces mots sont cachés, ou montrés derrière un avertissement, là où vous le choisissez.
filters-none = Pas encore de filtres.
filters-new = Un nouveau filtre
filters-add = Ajouter le filtre
filter-title = Nom
filter-keywords = Mots
filter-keywords-hint = Un par ligne, ou séparés par des virgules ; mots entiers seulement.
filter-contexts = Où
filter-context-home = Accueil et listes
filter-context-notifications = Notifications
filter-context-public = Fils publics
filter-context-thread = Conversations
filter-context-account = Profils
filter-action = Que faire
filter-action-warn = Montrer derrière un avertissement
filter-action-hide = Cacher complètement
filtered-by = Filtré : { $filters }
followers-of = Qui suit { $name }
following-of = Qui { $name } suit
back-to-profile = Retour au profil
settings-hashtags = Hashtags
hashtags-intro = Les messages publics avec ces hashtags rejoignent votre fil d'accueil.
hashtags-none = Vous ne suivez encore aucun hashtag. Suivez-en un depuis sa page.
followed-hashtags = Hashtags suivis
featured-intro = Jusqu'à dix hashtags affichés sur votre profil, chacun menant à vos messages qui l'emploient.
feature-hashtag = Hashtag à mettre en avant
feature = Mettre en avant
unfeature = Ne plus mettre en avant
unfeature-hashtag = Ne plus mettre en avant #{ $name }
feature-suggestions = Vous employez souvent :
more-hashtags = Plus de hashtags
settings-export = Exporter
archive = Votre archive
archive-intro = Tout ce que vous avez publié, avec ses images, votre profil, vos favoris et vos signets, dans un fichier ZIP au format de Mastodon : pour le garder, ou emmener vos messages sur un autre serveur. Elle est préparée en arrière-plan et vous recevez un courriel quand elle est prête ; vous pouvez en demander une par semaine.
archive-none = Aucune archive pour l'instant.
archive-asked = Demandée { $when }
archive-building = En préparation…
archive-download = Télécharger
archive-size = { $size } Kio
archive-request = Demander une archive
settings-delete = Supprimer le compte
delete-intro = Supprimer votre compte efface votre profil et tout ce que vous avez publié, ici et, s'ils écoutent, sur les serveurs de vos abonnés. C'est définitif, et votre nom d'utilisateur reste pris.
delete-archive-first = D'abord, emportez vos données
delete-for-good = Puis supprimez le compte
delete-account = Supprimer mon compte définitivement
settings-imports = Importer
import-intro = Abonnements, blocages, masquages, serveurs bloqués, signets et listes depuis un fichier CSV, tels que Mastodon et Woolly les exportent (jusqu'à 20 000 lignes) ; ou vos messages depuis l'archive d'un ancien compte (son fichier ZIP, jusqu'à 100 Mo), qui apparaissent sur votre profil à leur date sans arriver dans les fils de quiconque. Le fichier est vérifié aussitôt, puis appliqué petit à petit ; les comptes et messages d'autres serveurs y sont cherchés.
import-kind = Ce que contient le fichier
import-kind-following = Comptes suivis
import-kind-blocking = Comptes bloqués
import-kind-muting = Comptes masqués
import-kind-domain_blocking = Serveurs bloqués
import-kind-bookmarks = Signets
import-kind-lists = Listes
import-kind-posts = Vos messages, depuis une archive (ZIP) de Mastodon ou Woolly
import-mode = Mode
import-mode-merge-hint = Fusionner : ajouter le contenu du fichier à ce que vous avez
import-mode-overwrite-hint = Remplacer : ce que vous avez et que le fichier ne nomme pas est défait
import-mode-merge = fusion
import-mode-overwrite = remplacement
import-file = Le fichier CSV
import-upload = Importer
import-recent = Vos imports
import-none = Aucun import pour l'instant.
import-state-scheduled = En attente : { $total } lignes.
import-state-in_progress = En cours : { $processed } lignes sur { $total }.
import-state-finished = Terminé : { $processed } lignes sur { $total }.
import-imported = { $count } importées.
import-failed-rows = { $count } lignes n'ont pas pu être utilisées
import-row = Ligne { $row } :
import-unreadable = Le formulaire n'a pas pu être lu : réessayez.
import-choose-kind = Choisissez ce que contient le fichier.
settings-migration = Déménager
migration-intro = Déménager ce compte vers un autre, ici ou sur un autre serveur, emmène vos abonnés : leurs serveurs les abonnent au nouveau compte. Ajoutez d'abord ce compte comme alias du nouveau (dans les réglages du nouveau compte). Ce compte indique ensuite où il est parti et ne publie plus ; il pourra déménager de nouveau après 30 jours.
migration-target = L'adresse du nouveau compte
migration-move = Déménager ce compte
migration-done = Ce compte a déménagé. Vos abonnés passent au nouveau compte.
migration-moved-to = Ce compte a déménagé vers
migration-last = Il a déménagé { $when }.
migration-cooldown = Il pourra déménager de nouveau à partir de { $when }.
migration-aliases = Arriver ici depuis un autre compte
migration-aliases-intro = Pour déménager un autre compte (le vôtre, ici ou sur un autre serveur) vers celui-ci, nommez-le ici d'abord : c'est ainsi que son serveur sait que le déménagement est authentique. Puis déménagez-le depuis ses propres réglages.
migration-no-aliases = Aucun alias pour l'instant.
migration-alias-acct = L'adresse de l'ancien compte
migration-alias-add = Ajouter l'alias
migration-alias-added = L'alias a été ajouté.
migration-alias-remove = Retirer
profile-moved = { $name } a déménagé vers
export-intro = Vos données en fichiers CSV aux formats de Mastodon, que Mastodon et d'autres serveurs importent.
export-following = Les personnes que vous suivez
export-followers = Les personnes qui vous suivent
export-lists = Vos listes et leurs membres
export-blocks = Les personnes que vous bloquez
export-mutes = Les personnes que vous masquez
export-domain-blocks = Les serveurs que vous bloquez
export-bookmarks = Vos signets
export-import-later = Importez ces fichiers ici ou sur un autre serveur ; pour emmener aussi vos abonnés, déménagez votre compte.
settings-invites = Invitations
invites-intro = Les liens d'invitation permettent de rejoindre ce serveur, même quand les inscriptions sont fermées ou soumises à approbation.
invites-not-allowed = Ce serveur ne permet pas à ses membres d'inviter des gens.
invites-yours = Vos liens d'invitation
invite-max-uses = Utilisations
invite-no-limit = Sans limite
invite-uses = { $count ->
    [one] { $count } utilisation
   *[other] { $count } utilisations
}
invite-expires-after = Expire après
invite-never-expires = N'expire jamais
invite-expires = Expire le { $date }
invite-expired = Expiré
invite-create = Créer un lien
invite-used = Utilisé :
invite-revoke = Révoquer
nav-lists = Listes
lists-intro = Une liste est un fil à part, de certaines des personnes que vous suivez.
lists-none = Pas encore de listes.
lists-title = Le nom de la liste
lists-create = Créer une liste
lists-members = Qui en fait partie
lists-members-hint = Ajoutez des personnes que vous suivez depuis leur profil.
lists-remove = Retirer
lists-add-to = Ajouter à une liste
lists-add = Ajouter

# The moderators' screens.
moderation = Modération
moderation-reports = Signalements
moderation-open = Ouverts
moderation-resolved = Résolus
moderation-none-open = Aucun signalement n'attend de modérateur.
moderation-none-resolved = Aucun signalement n'a encore été résolu.
moderation-about = Au sujet de { $name }
moderation-by = Signalé par { $name }
moderation-rules = Règles enfreintes :
moderation-assigned = Pris en charge par { $name }
moderation-resolved-when = Résolu { $when }
moderation-assign = Le prendre en charge
moderation-unassign = Le laisser
moderation-resolve = Résoudre
moderation-reopen = Rouvrir
moderation-act = Agir sur le compte
moderation-older = Signalements plus anciens
moderation-posts-warning = Un avertissement à leur auteur à propos de ces messages (facultatif)
moderation-posts-notify = Prévenir l'auteur (une notification et un courriel)
moderation-posts-sensitive = Marquer leurs médias comme sensibles
moderation-posts-remove = Retirer ces messages
audit-Status-destroy = a retiré un message de
audit-Status-update = a marqué sensible un message de
report-category-spam = Spam
report-category-legal = Juridique
report-category-violation = Enfreint les règles
report-category-other = Autre

## Les avertissements d'un membre et ses appels (/disputes)
strikes-heading = Avertissements de la modération
strikes-none = La modération n'a jamais averti votre compte.
strike-action-none = Un avertissement
strike-action-disable = Votre connexion a été désactivée
strike-action-mark_statuses_as_sensitive = Vos messages ont été marqués sensibles
strike-action-delete_statuses = Vos messages ont été retirés
strike-action-sensitive = Vos médias sont marqués sensibles
strike-action-silence = Votre compte a été limité
strike-action-suspend = Votre compte a été suspendu
strike-overruled = Cette décision a été annulée.
strike-appealed = Vous avez fait appel ({ $state }) :
strike-appeal-label = Pourquoi la modération devrait-elle revoir sa décision ?
strike-appeal = Faire appel
strike-too-late = Il est trop tard pour faire appel de cette décision.
appeal-state-pending = en attente d'une décision
appeal-state-approved = accepté
appeal-state-rejected = rejeté
suspended-heading = Votre compte est suspendu
suspended-text = La modération de ce serveur a suspendu votre compte : personne ne le voit, ni ce que vous avez publié. Vous pouvez lire pourquoi, et faire appel.
disabled-heading = Votre connexion est désactivée
disabled-text = La modération de ce serveur a désactivé votre connexion : votre compte reste visible, mais vous ne pouvez pas l'utiliser. Vous pouvez lire pourquoi, et faire appel.
read-strikes = Lire la décision et faire appel

## Les comptes, appels et journal de la modération (/admin)
admin-accounts = Comptes
admin-pending = Inscriptions
admin-appeals = Appels
admin-audit = Journal
admin-filter-status = État
admin-filter-origin = Serveur
admin-filter-username = Nom d'utilisateur
admin-filter-all = Tous
admin-filter = Filtrer
admin-origin-local = Ce serveur
admin-origin-remote = Autres serveurs
admin-state-active = Actif
admin-state-pending = En attente d'approbation
admin-state-unconfirmed = Adresse non confirmée
admin-state-disabled = Connexion désactivée
admin-state-silenced = Limité
admin-state-suspended = Suspendu
admin-state-sensitized = Médias sensibles
admin-no-accounts = Aucun compte ne correspond.
admin-more = Suite
admin-approve = Approuver
admin-reject = Refuser
admin-profile = Profil public
admin-take-action = Agir
admin-action = Action
admin-do-none = Avertir seulement
admin-do-sensitive = Marquer ses médias comme sensibles
admin-do-disable = Désactiver sa connexion
admin-do-silence = Limiter : ses messages n'atteignent que ses abonné·es
admin-do-suspend = Suspendre : le masquer avec tout ce qu'il a publié
admin-undo-unsuspend = Lever la suspension
admin-undo-unsilence = Lever la limitation
admin-undo-unsensitive = Ne plus marquer ses médias comme sensibles
admin-undo-enable = Réactiver sa connexion
admin-action-text = Mots adressés au titulaire (lus avec la décision, dont il peut faire appel)
admin-notify = Prévenir le titulaire (notification et e-mail)
admin-do = Appliquer
admin-role = Rôle
admin-role-change = Changer le rôle
role-user = Membre
role-moderator = Modérateur·rice
role-admin = Administrateur·rice
role-owner = Propriétaire
admin-warnings = Avertissements
admin-no-warnings = Ce compte n'a reçu aucun avertissement.
admin-overruled = Annulé
admin-appealed = Appel ({ $state }) :
admin-action-none = Un avertissement
admin-action-disable = Connexion désactivée
admin-action-mark_statuses_as_sensitive = Messages marqués sensibles
admin-action-delete_statuses = Messages retirés
admin-action-sensitive = Médias marqués sensibles
admin-action-silence = Limité
admin-action-suspend = Suspendu
admin-destroy = Supprimer ses données maintenant
admin-destroy-text = Le compte est suspendu : ses données sont supprimées 30 jours après la suspension, sauf si elle est levée. Ceci les supprime maintenant, définitivement.
admin-no-appeals = Aucun appel n'attend de décision.
admin-appeal-says = L'appel :
admin-appeal-approve = Accepter : annuler la décision
admin-appeal-reject = Rejeter
admin-notes = Notes de la modération
admin-no-notes = Aucune note pour l'instant. Les notes ne sont lues que par la modération, jamais par le compte.
admin-note-new = Une note pour les autres modérateur·ices
admin-note-add = Ajouter la note
admin-note-delete = Supprimer la note
admin-history = Historique
admin-no-history = Personne n'a encore agi sur ce compte.
admin-rules-intro = Affichées sur la page « à propos », acceptées par chaque personne qui s'inscrit et citées dans les signalements. Une règle retirée n'est plus affichée ; les signalements qui la citaient la montrent encore.
admin-no-rules = Aucune règle pour l'instant.
admin-rule-remove = Retirer
admin-rule-new = Une nouvelle règle
admin-rule-text = La règle (300 caractères au plus)
admin-rule-hint = Ce qu'elle veut dire (facultatif)
admin-rule-add = Ajouter la règle
audit-Rule-create = a ajouté la règle
audit-Rule-destroy = a retiré la règle
admin-rule-edit = Modifier
admin-rule-save = Enregistrer la règle
admin-rule-up = Monter
audit-Rule-update = a modifié la règle
admin-no-audit = Rien n'a encore été fait.
admin-audit-when = Quand
admin-audit-who = Qui
admin-audit-what = Quoi
admin-audit-target = Sur
audit-suspend = a suspendu
audit-unsuspend = a levé la suspension de
audit-silence = a limité
audit-unsilence = a levé la limitation de
audit-sensitive = a marqué sensibles les médias de
audit-unsensitive = ne marque plus sensibles les médias de
audit-disable = a désactivé la connexion de
audit-enable = a réactivé la connexion de
audit-create = a créé
audit-update = a modifié
audit-AccountWarning-create = a averti
audit-Account-destroy = a supprimé les données de
audit-DomainBlock-create = a bloqué le serveur
audit-DomainBlock-update = a modifié le blocage du serveur
audit-DomainBlock-destroy = a débloqué le serveur
audit-DomainAllow-create = a autorisé le serveur
audit-DomainAllow-destroy = n'autorise plus le serveur
audit-EmailDomainBlock-create = a bloqué le domaine de courriel
audit-EmailDomainBlock-destroy = a débloqué le domaine de courriel
audit-CanonicalEmailBlock-create = a bloqué l'adresse de courriel
audit-CanonicalEmailBlock-destroy = a débloqué l'adresse de courriel
audit-IpBlock-create = a bloqué les adresses
audit-IpBlock-update = a modifié le blocage des adresses
audit-IpBlock-destroy = a débloqué les adresses
audit-Announcement-create = a publié l'annonce
audit-Announcement-update = a modifié l'annonce
audit-Announcement-destroy = a supprimé l'annonce
audit-AccountModerationNote-create = a écrit une note sur
audit-AccountModerationNote-destroy = a supprimé une note sur
audit-Appeal-approve = a accepté l'appel de
audit-Appeal-reject = a rejeté l'appel de
audit-approve = a approuvé
audit-reject = a refusé
audit-destroy = a supprimé
audit-change_role = a changé le rôle de
audit-resolve = a résolu le signalement
audit-reopen = a rouvert le signalement
audit-assigned_to_self = a pris en charge le signalement
audit-unassigned = a laissé le signalement

## L'écran des serveurs (/admin/domain_blocks)
servers = Serveurs
servers-block = Bloquer un serveur
servers-domain = Domaine
servers-severity = Que faire
servers-severity-silence = Limiter : ses messages n'atteignent ici que leurs abonné·es
servers-severity-suspend = Couper : rien reçu ni envoyé, ce qui est stocké est supprimé
servers-severity-noop = Ni l'un ni l'autre : seulement les options ci-dessous
servers-reject-media = N'afficher aucun de ses médias
servers-reject-reports = Ignorer ses signalements
servers-public-comment = Commentaire public
servers-private-comment = Commentaire pour la modération
servers-obfuscate = Masquer quelques lettres du domaine dans la liste publique
servers-block-submit = Bloquer
servers-blocked = Serveurs bloqués
servers-none-blocked = Aucun serveur n'est bloqué.
servers-unblock = Lever le blocage
servers-allowed = Serveurs autorisés
servers-limited-on = La fédération limitée est active : seuls ces serveurs sont contactés.
servers-limited-off = La fédération limitée est inactive (réglage limited_federation) : cette liste est gardée pour quand elle le sera.
servers-allow = Autoriser
servers-disallow = Retirer

## Annonces
announcement = De la part de l'équipe
announcement-dismiss = Marquer comme lue
announcements = Annonces
announcements-new = Une nouvelle annonce
announcements-text = Texte (les liens deviennent des liens)
announcements-starts = Affichée à partir du (facultatif)
announcements-ends = Affichée jusqu'au (facultatif, inclus)
announcements-from-to = affichée { $days }
announcements-from = affichée à partir du { $day }
announcements-until = affichée jusqu'au { $day }
announcements-publish = Publier maintenant (sinon la garder en brouillon)
announcements-save = Enregistrer
announcements-none = Aucune annonce pour l'instant.
announcements-published = Publiée { $when }
announcements-draft = Brouillon
announcements-delete = Supprimer

## Le tableau de bord de la modération (/admin/dashboard)
dashboard = Tableau de bord
dashboard-period = Les 30 derniers jours, jour par jour.
dashboard-new_users = Nouveaux comptes
dashboard-active_users = Utilisateurs actifs
dashboard-interactions = Interactions avec les messages locaux
dashboard-opened_reports = Signalements ouverts
dashboard-resolved_reports = Signalements résolus
dashboard-before = { $total } les 30 jours d'avant
dashboard-chart-description = { $total } en tout
dashboard-servers = Serveurs dont celui-ci connaît le plus de personnes
dashboard-sources = D'où viennent les inscriptions
dashboard-software_versions = Logiciels de ce serveur
dashboard-server_software = Logiciels des serveurs connus
dashboard-nothing = Rien pour l'instant.

trends = Tendances
admin-trends-intro = Ce qui est en vogue en ce moment, parmi les messages publics des personnes qui ont choisi d'être découvertes. Seul ce que vous autorisez est montré dans les tendances ; ce qui attend n'est montré que si le serveur fait confiance aux tendances par défaut.
admin-trends-off = Les tendances sont désactivées sur ce serveur (réglage trends) : rien n'est montré aux membres, quoi que vous autorisiez.
admin-trends-tags = Mots-clics
admin-trends-posts = Messages
admin-trends-links = Liens
admin-trends-publishers = Éditeurs
admin-trends-publishers-intro = Un éditeur autorisé fait entrer tous ses liens dans les tendances ; la décision sur un lien l’emporte sur celle de son éditeur.
admin-trends-none = Rien n'est en vogue en ce moment.
admin-trends-today = Aujourd'hui :
admin-trend-waiting = En attente d'examen
admin-trend-allowed = Autorisé
admin-trend-refused = Refusé
admin-trend-approve = Autoriser
admin-trend-reject = Refuser
nav-explore = Explorer
explore-intro = Ce dont on parle ici en ce moment, et des personnes que vous aimerez peut-être suivre. Votre fil d'accueil reste dans l'ordre du temps : rien n'y est classé.
explore-tags = Mots-clics en vogue
explore-no-tags = Aucun mot-clic n'est en vogue en ce moment.
explore-tag-people = { $count ->
    [one] { $count } personne ces deux derniers jours
   *[other] { $count } personnes ces deux derniers jours
}
explore-people = Personnes à suivre
explore-directory = Personnes actives ici
explore-posts = Messages en vogue
explore-no-posts = Aucun message n'est en vogue en ce moment.
explore-links = Liens tendance
explore-no-links = Aucun lien n’est tendance en ce moment.
explore-why-featured = Recommandé par ce serveur
explore-why-friends_of_friends = Suivi par des personnes que vous suivez
explore-why-most_followed = Très suivi ici ces derniers temps
explore-why-most_interactions = Très aimé et partagé ces derniers temps
