"""Writes the evaluation pages of bench/extraction.py: <name>.html and <name>.txt (gold main text).

Not a public benchmark: pages written for this project, in the four supported
languages, shaped like real municipal and news sites (CMS chrome, cookie
banners, mega-menus, sidebars, related links, comments, div soup, tables).
Kept as a script so what the gold text is, and what the noise is, stays legible.
"""

from pathlib import Path

HERE = Path(__file__).parent

ARTICLES = {
    "en-news": (
        "en",
        "Riverton doubles cycling with protected lanes",
        [
            "In 2018 the city council of Riverton decided to separate cyclists from motor traffic on all of its arterial roads.",
            "Concrete kerbs, planters and parked cars now protect more than forty kilometres of lanes that connect schools, the hospital and the central station.",
            "The programme was designed with residents in twelve neighbourhood workshops, and every section was first tested with temporary materials.",
            "Cycling trips doubled in three years, while the number of serious injuries on the same roads fell by a third.",
            "The transport department publishes weekly counts from automatic counters as open data.",
        ],
    ),
    "en-portal": (
        "en",
        "Report a problem in your street",
        [
            "Residents can report potholes, broken street lights, graffiti and overflowing bins at any time of day.",
            "Each report is sent to the team responsible, which must acknowledge it within two working days.",
            "You can follow the progress of your report online and you will receive a message when the work is done.",
            "Since the service opened, the average repair time for street lights has fallen from nineteen days to six.",
        ],
    ),
    "fr-mairie": (
        "fr",
        "Le budget participatif, mode d'emploi",
        [
            "Depuis 2017, la ville consacre chaque année cinq pour cent de son budget d'investissement à des projets proposés par les habitants.",
            "Chacun peut déposer une idée en ligne ou dans les mairies de quartier entre janvier et mars.",
            "Les services municipaux étudient ensuite la faisabilité de chaque proposition avec leurs auteurs.",
            "Le vote a lieu en septembre, en ligne et dans des urnes installées dans les écoles et les marchés.",
            "Plus de deux cents projets ont déjà été réalisés, des jardins partagés à l'éclairage d'un terrain de sport.",
        ],
    ),
    "fr-blog": (
        "fr",
        "Compostage collectif : bilan de deux ans",
        [
            "La métropole a installé quarante composteurs partagés au pied des immeubles du centre-ville.",
            "Des habitants volontaires, formés par l'équipe municipale, veillent à leur bon usage.",
            "Les déchets ménagers ont diminué de douze pour cent dans les rues concernées.",
            "Les écoles participent aussi : chaque cantine trie désormais ses épluchures.",
        ],
    ),
    "es-ayuntamiento": (
        "es",
        "Portal de datos abiertos",
        [
            "El ayuntamiento publica más de trescientos conjuntos de datos en formatos abiertos.",
            "Entre ellos figuran los presupuestos, los contratos, la calidad del aire y los horarios de autobuses.",
            "Cada conjunto tiene un responsable en la administración municipal y se actualiza automáticamente.",
            "Empresas locales han creado aplicaciones para consultar el tráfico y la disponibilidad de bicicletas.",
            "La ciudadanía puede pedir la publicación de nuevos datos y seguir el estado de su solicitud.",
        ],
    ),
    "es-periodico": (
        "es",
        "Huertos urbanos en las azoteas municipales",
        [
            "Veinte edificios municipales tienen ahora huertos en sus azoteas, cuidados por asociaciones de vecinos.",
            "Los huertos producen verduras para los comedores sociales de la ciudad.",
            "Las azoteas verdes también reducen la temperatura de los edificios en verano y retienen el agua de lluvia.",
            "Más de mil personas han participado en los talleres de cultivo desde el inicio del programa.",
        ],
    ),
    "pt-prefeitura": (
        "pt",
        "Agendamento digital nas unidades de saúde",
        [
            "A prefeitura criou um serviço de agendamento de consultas pelo celular e pelo telefone.",
            "O serviço substituiu as filas de madrugada na porta das unidades básicas de saúde.",
            "Os pacientes recebem lembretes por mensagem e podem cancelar a consulta com um toque.",
            "Os agentes comunitários ajudam os moradores que não têm acesso à internet a usar o serviço.",
            "O tempo médio de espera por uma consulta caiu de vinte para sete dias.",
        ],
    ),
    "pt-noticia": (
        "pt",
        "Iluminação pública com lâmpadas LED",
        [
            "A prefeitura trocou trinta mil lâmpadas antigas por modelos LED em todos os bairros.",
            "A conta de energia da iluminação pública caiu quarenta por cento no primeiro ano.",
            "Os moradores podem pedir a troca de uma lâmpada queimada pelo aplicativo da cidade.",
            "O dinheiro economizado será investido em praças e em novas ciclovias.",
        ],
    ),
}

NOISE = {
    "en": [
        "Home",
        "News",
        "Services",
        "Council",
        "Contact us",
        "Accessibility",
        "Sign in",
        "We use cookies to improve your experience. By continuing you accept our cookie policy.",
        "Related articles",
        "New bus timetable from Monday",
        "Library opening hours change",
        "Share on Facebook",
        "Share on X",
        "© 2024 City Council. All rights reserved.",
        "Privacy policy",
        "Subscribe to our newsletter for weekly updates from the council.",
        "3 comments",
        "Great news for our neighbourhood, thanks!",
        "When will this reach the east side?",
    ],
    "fr": [
        "Accueil",
        "Actualités",
        "Démarches",
        "Mairie",
        "Nous contacter",
        "Accessibilité",
        "Ce site utilise des cookies pour améliorer votre navigation. Tout accepter ?",
        "À lire aussi",
        "Nouveaux horaires de la piscine",
        "Fermeture exceptionnelle de la mairie",
        "Partager sur Facebook",
        "Imprimer",
        "© 2024 Ville de Beaulieu. Tous droits réservés.",
        "Mentions légales",
        "Inscrivez-vous à la lettre d'information de la ville.",
        "2 commentaires",
        "Très bonne initiative !",
        "Et pour les quartiers nord ?",
    ],
    "es": [
        "Inicio",
        "Noticias",
        "Trámites",
        "Ayuntamiento",
        "Contacto",
        "Accesibilidad",
        "Utilizamos cookies propias y de terceros. Si continúa navegando, acepta su uso.",
        "Noticias relacionadas",
        "Nuevo horario de la biblioteca",
        "Corte de tráfico en la avenida",
        "Compartir en Facebook",
        "Imprimir",
        "© 2024 Ayuntamiento de Villanueva.",
        "Aviso legal",
        "Suscríbase al boletín municipal.",
        "4 comentarios",
        "¡Muy buena idea!",
        "¿Y en mi barrio cuándo?",
    ],
    "pt": [
        "Início",
        "Notícias",
        "Serviços",
        "Prefeitura",
        "Fale conosco",
        "Acessibilidade",
        "Usamos cookies para melhorar sua experiência. Ao continuar, você concorda.",
        "Leia também",
        "Novo horário dos ônibus",
        "Vacinação nos postos de saúde",
        "Compartilhar no Facebook",
        "Imprimir",
        "© 2024 Prefeitura de Vila Nova.",
        "Política de privacidade",
        "Receba as notícias da prefeitura no seu e-mail.",
        "5 comentários",
        "Parabéns pela iniciativa!",
        "Quando chega no meu bairro?",
    ],
}


def semantic(lang, title, paras, n):
    return f"""<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>{title} | City</title></head>
<body><div id="cookie-notice"><p>{n[6]}</p><button>OK</button></div>
<header><nav><ul>{"".join(f'<li><a href="/{i}">{w}</a></li>' for i, w in enumerate(n[:6]))}</ul></nav></header>
<main><article><h1>{title}</h1><p class="byline">12.03.2023</p>
{"".join(f"<p>{p}</p>" for p in paras)}
<div class="share"><a href="#">{n[10]}</a> <a href="#">{n[11]}</a></div></article>
<aside><h2>{n[7]}</h2><ul><li><a href="/a">{n[8]}</a></li><li><a href="/b">{n[9]}</a></li></ul></aside></main>
<footer><p>{n[12]}</p><a href="/p">{n[13]}</a><p>{n[14]}</p></footer></body></html>"""


def divsoup(lang, title, paras, n):
    return f"""<html><head><meta http-equiv="content-type" content="text/html; charset=utf-8"><title>{title}</title></head>
<body><div class="wrapper"><div class="top"><div class="logo">City</div>
<div class="links">{" | ".join(f'<a href="/{i}">{w}</a>' for i, w in enumerate(n[:6]))}</div></div>
<div class="cols"><div class="left"><div class="box"><b>{n[7]}</b><br><a href="/a">{n[8]}</a><br><a href="/b">{n[9]}</a></div></div>
<div class="center"><div class="titulo">{title}</div>
{"<br><br>".join(paras)}
</div></div>
<div class="bottom">{n[12]} - <a href="/p">{n[13]}</a></div></div></body></html>"""


def blog(lang, title, paras, n):
    return f"""<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title></head>
<body><div class="site-header"><span class="site-title">Blog</span><div class="menu">{" ".join(f'<a href="/{i}">{w}</a>' for i, w in enumerate(n[:5]))}</div></div>
<div class="post"><h2 class="post-title">{title}</h2><div class="post-meta">2023-05-02</div>
<div class="entry-content">{"".join(f"<p>{p}</p>" for p in paras)}</div></div>
<div class="newsletter-box"><p>{n[14]}</p><input type="email"></div>
<div id="comments"><h3>{n[15]}</h3><div class="comment"><p>{n[16]}</p></div><div class="comment"><p>{n[17]}</p></div></div>
<div class="widget related"><h3>{n[7]}</h3><a href="/a">{n[8]}</a> <a href="/b">{n[9]}</a></div>
<div class="footer">{n[12]}</div></body></html>"""


def portal(lang, title, paras, n):
    return f"""<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title></head>
<body><div role="banner"><a href="/">City</a><form><input name="q"><button>Search</button></form></div>
<div role="navigation" class="mega-menu">{"".join(f'<div class="col"><h4>{w}</h4><a href="/{i}/1">{n[8]}</a><a href="/{i}/2">{n[9]}</a></div>' for i, w in enumerate(n[:4]))}</div>
<ol class="breadcrumb"><li><a href="/">{n[0]}</a></li><li><a href="/s">{n[2]}</a></li><li>{title}</li></ol>
<div id="content" class="page-content"><h1>{title}</h1>
{"".join(f"<p>{p}</p>" for p in paras)}
<table class="contact-table"><tr><td>{n[4]}</td><td>+00 000 000</td></tr></table></div>
<div class="page-rating">Was this page useful? Yes / No</div>
<div role="contentinfo"><p>{n[12]}</p><a href="/p">{n[13]}</a> <a href="/a">{n[5]}</a></div></body></html>"""


LAYOUT = {
    "en-news": semantic,
    "en-portal": portal,
    "fr-mairie": portal,
    "fr-blog": blog,
    "es-ayuntamiento": divsoup,
    "es-periodico": semantic,
    "pt-prefeitura": portal,
    "pt-noticia": blog,
}

if __name__ == "__main__":
    for name, (lang, title, paras) in ARTICLES.items():
        (HERE / f"{name}.html").write_text(LAYOUT[name](lang, title, paras, NOISE[lang]), "utf-8")
        (HERE / f"{name}.txt").write_text(title + "\n" + "\n".join(paras) + "\n", "utf-8")
