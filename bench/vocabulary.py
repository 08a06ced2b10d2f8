"""Real vocabulary of local-government practice in en, fr, es and pt, for the generator.

Benchmarks on lorem ipsum measure the wrong thing: real text has a Zipf-like
vocabulary, stems that collide, accents, and words that exist in several
languages. Each language has topic phrases per theme, sentence templates
with slots, and a few words of its own for titles and target groups.
"""

from __future__ import annotations

# theme -> {lang: [topic phrases]}
TOPICS: dict[str, dict[str, list[str]]] = {
    "e-government": {
        "en": ["online public services", "a digital one-stop shop", "electronic permits", "digital identity for residents"],
        "fr": ["services publics en ligne", "un guichet unique numérique", "des démarches administratives dématérialisées", "l'identité numérique des habitants"],
        "es": ["servicios públicos en línea", "una ventanilla única digital", "trámites electrónicos", "la identidad digital de los vecinos"],
        "pt": ["serviços públicos online", "um balcão único digital", "licenças eletrónicas", "a identidade digital dos cidadãos"],
    },
    "open-data": {
        "en": ["an open data portal", "budget transparency", "open datasets on public spending", "real-time transport data"],
        "fr": ["un portail de données ouvertes", "la transparence budgétaire", "des jeux de données sur la dépense publique", "les données de transport en temps réel"],
        "es": ["un portal de datos abiertos", "la transparencia presupuestaria", "conjuntos de datos sobre el gasto público", "datos de transporte en tiempo real"],
        "pt": ["um portal de dados abertos", "a transparência orçamental", "conjuntos de dados sobre a despesa pública", "dados de transporte em tempo real"],
    },
    "citizen-participation": {
        "en": ["participatory budgeting", "neighbourhood assemblies", "online public consultation", "a citizens' jury"],
        "fr": ["le budget participatif", "les conseils de quartier", "la consultation publique en ligne", "un jury citoyen"],
        "es": ["los presupuestos participativos", "las asambleas vecinales", "la consulta ciudadana en línea", "un jurado ciudadano"],
        "pt": ["o orçamento participativo", "as assembleias de bairro", "a consulta pública online", "um júri de cidadãos"],
    },
    "smart-mobility": {
        "en": ["bike sharing", "bus rapid transit", "low-emission zones", "smart parking sensors"],
        "fr": ["les vélos en libre-service", "le bus à haut niveau de service", "les zones à faibles émissions", "le stationnement intelligent"],
        "es": ["la bicicleta compartida", "el autobús de tránsito rápido", "las zonas de bajas emisiones", "el aparcamiento inteligente"],
        "pt": ["as bicicletas partilhadas", "o corredor de ônibus rápido", "as zonas de baixas emissões", "o estacionamento inteligente"],
    },
    "digital-inclusion": {
        "en": ["digital skills training", "free public Wi-Fi in libraries", "digital mediators for older people", "refurbished computers for families"],
        "fr": ["la formation aux compétences numériques", "le Wi-Fi gratuit dans les bibliothèques", "des médiateurs numériques pour les personnes âgées", "des ordinateurs reconditionnés pour les familles"],
        "es": ["la formación en competencias digitales", "el wifi gratuito en las bibliotecas", "mediadores digitales para personas mayores", "ordenadores reacondicionados para las familias"],
        "pt": ["a formação em competências digitais", "o wi-fi gratuito nas bibliotecas", "mediadores digitais para idosos", "computadores recondicionados para as famílias"],
    },
    "connectivity": {
        "en": ["municipal fibre networks", "broadband for rural districts", "a public 5G pilot", "community mesh networks"],
        "fr": ["les réseaux de fibre optique municipaux", "le haut débit dans les zones rurales", "une expérimentation de la 5G", "les réseaux communautaires"],
        "es": ["las redes municipales de fibra óptica", "la banda ancha en zonas rurales", "un piloto público de 5G", "las redes comunitarias"],
        "pt": ["as redes municipais de fibra ótica", "a banda larga nas zonas rurais", "um projeto piloto de 5G", "as redes comunitárias"],
    },
    "environment-energy": {
        "en": ["energy efficiency in public buildings", "a climate action plan", "solar panels on school roofs", "urban heat islands"],
        "fr": ["l'efficacité énergétique des bâtiments publics", "un plan climat", "des panneaux solaires sur les écoles", "les îlots de chaleur urbains"],
        "es": ["la eficiencia energética de los edificios públicos", "un plan de acción climática", "paneles solares en los colegios", "las islas de calor urbanas"],
        "pt": ["a eficiência energética dos edifícios públicos", "um plano de ação climática", "painéis solares nas escolas", "as ilhas de calor urbanas"],
    },
    "urban-planning": {
        "en": ["a new land-use plan", "affordable housing", "the regeneration of the historic centre", "a digital twin of the city"],
        "fr": ["un nouveau plan local d'urbanisme", "le logement abordable", "la rénovation du centre historique", "un jumeau numérique de la ville"],
        "es": ["un nuevo plan de ordenación urbana", "la vivienda asequible", "la rehabilitación del centro histórico", "un gemelo digital de la ciudad"],
        "pt": ["um novo plano diretor municipal", "a habitação acessível", "a requalificação do centro histórico", "um gémeo digital da cidade"],
    },
    "public-safety": {
        "en": ["an early warning system for floods", "community policing", "emergency response coordination", "street lighting in unsafe areas"],
        "fr": ["un système d'alerte précoce aux inondations", "la police de proximité", "la coordination des secours", "l'éclairage public des quartiers sensibles"],
        "es": ["un sistema de alerta temprana de inundaciones", "la policía de proximidad", "la coordinación de emergencias", "el alumbrado público en zonas inseguras"],
        "pt": ["um sistema de alerta precoce de cheias", "o policiamento de proximidade", "a coordenação da proteção civil", "a iluminação pública em zonas inseguras"],
    },
    "health-social": {
        "en": ["home care for older people", "community health centres", "support for homeless people", "telemedicine in neighbourhood clinics"],
        "fr": ["l'aide à domicile pour les personnes âgées", "les centres de santé communautaires", "l'accompagnement des personnes sans abri", "la télémédecine dans les maisons de santé"],
        "es": ["la atención domiciliaria a personas mayores", "los centros de salud comunitarios", "la atención a personas sin hogar", "la telemedicina en los centros de salud"],
        "pt": ["o apoio domiciliário a idosos", "os centros de saúde comunitários", "o apoio às pessoas em situação de sem-abrigo", "a telemedicina nas unidades de saúde"],
    },
    "education-culture": {
        "en": ["public libraries as community hubs", "after-school programmes", "cultural heritage tourism", "music schools in every district"],
        "fr": ["les médiathèques comme lieux de vie", "l'accompagnement périscolaire", "le tourisme patrimonial", "les écoles de musique de quartier"],
        "es": ["las bibliotecas públicas como centros comunitarios", "las actividades extraescolares", "el turismo cultural y patrimonial", "las escuelas de música de barrio"],
        "pt": ["as bibliotecas municipais como centros comunitários", "as atividades de tempos livres", "o turismo cultural e patrimonial", "as escolas de música de bairro"],
    },
    "local-economy": {
        "en": ["a business incubator", "support for local markets", "public procurement from small firms", "an innovation district"],
        "fr": ["une pépinière d'entreprises", "le soutien aux marchés de producteurs", "la commande publique auprès des petites entreprises", "un quartier de l'innovation"],
        "es": ["una incubadora de empresas", "el apoyo a los mercados municipales", "la contratación pública con pequeñas empresas", "un distrito de innovación"],
        "pt": ["uma incubadora de empresas", "o apoio aos mercados municipais", "a contratação pública com pequenas empresas", "um distrito de inovação"],
    },
    "data-governance": {
        "en": ["a municipal data strategy", "privacy by design", "an algorithm register", "cybersecurity of city systems"],
        "fr": ["une stratégie municipale de la donnée", "la protection de la vie privée dès la conception", "un registre des algorithmes", "la cybersécurité des systèmes de la ville"],
        "es": ["una estrategia municipal de datos", "la privacidad desde el diseño", "un registro de algoritmos", "la ciberseguridad de los sistemas municipales"],
        "pt": ["uma estratégia municipal de dados", "a privacidade desde a conceção", "um registo de algoritmos", "a cibersegurança dos sistemas municipais"],
    },
    "municipal-management": {
        "en": ["performance budgeting", "local tax collection", "shared services between municipalities", "asset management"],
        "fr": ["la gestion budgétaire par la performance", "le recouvrement de la fiscalité locale", "la mutualisation des services entre communes", "la gestion du patrimoine communal"],
        "es": ["la presupuestación por resultados", "la recaudación de tributos locales", "los servicios compartidos entre municipios", "la gestión del patrimonio municipal"],
        "pt": ["a orçamentação por resultados", "a cobrança de impostos municipais", "os serviços partilhados entre municípios", "a gestão do património municipal"],
    },
    "water-waste": {
        "en": ["selective waste collection", "water leak detection", "composting of organic waste", "wastewater treatment"],
        "fr": ["la collecte sélective des déchets", "la détection des fuites d'eau", "le compostage des biodéchets", "le traitement des eaux usées"],
        "es": ["la recogida selectiva de residuos", "la detección de fugas de agua", "el compostaje de residuos orgánicos", "el tratamiento de aguas residuales"],
        "pt": ["a recolha seletiva de resíduos", "a deteção de fugas de água", "a compostagem de resíduos orgânicos", "o tratamento de águas residuais"],
    },
}

GROUPS = {
    "en": ["residents", "older people", "young people", "small businesses", "neighbourhood associations", "municipal staff", "students", "families", "commuters", "local councillors"],
    "fr": ["les habitants", "les personnes âgées", "les jeunes", "les commerçants", "les associations de quartier", "les agents municipaux", "les étudiants", "les familles", "les usagers", "les élus locaux"],
    "es": ["los vecinos", "las personas mayores", "los jóvenes", "los pequeños comercios", "las asociaciones vecinales", "el personal municipal", "los estudiantes", "las familias", "los usuarios", "los concejales"],
    "pt": ["os moradores", "os idosos", "os jovens", "o pequeno comércio", "as associações de moradores", "os funcionários municipais", "os estudantes", "as famílias", "os utentes", "os vereadores"],
}

ORGS = {
    "en": ["City Council of {city}", "{city} City Hall", "Municipality of {city}", "{city} Metropolitan Authority"],
    "fr": ["Ville de {city}", "Mairie de {city}", "Métropole de {city}", "Communauté urbaine de {city}"],
    "es": ["Ayuntamiento de {city}", "Alcaldía de {city}", "Municipalidad de {city}", "Área Metropolitana de {city}"],
    "pt": ["Câmara Municipal de {city}", "Prefeitura de {city}", "Município de {city}", "Área Metropolitana de {city}"],
}

TITLES = {
    "en": ["{Topic} in {city}", "{city}: {topic}", "How {city} improved {topic}", "{Topic} for {group}", "Lessons from {city} on {topic}"],
    "fr": ["{Topic} à {city}", "{city} : {topic}", "Comment {city} a amélioré {topic}", "{Topic} pour {group}", "Les leçons de {city} sur {topic}"],
    "es": ["{Topic} en {city}", "{city}: {topic}", "Cómo {city} mejoró {topic}", "{Topic} para {group}", "Lecciones de {city} sobre {topic}"],
    "pt": ["{Topic} em {city}", "{city}: {topic}", "Como {city} melhorou {topic}", "{Topic} para {group}", "Lições de {city} sobre {topic}"],
}

# Body sentences: {topic}, {topic2}, {city}, {group}, {year}, {n}, {org}
SENTENCES = {
    "en": [
        "In {year}, the {org} launched a programme on {topic} together with {group}.",
        "The project started as a pilot in two districts and was extended to the whole city after an evaluation.",
        "Its main goal is to make {topic} simpler, cheaper and more accessible for {group}.",
        "More than {n} people took part in the workshops that shaped the service.",
        "The team combined {topic} with {topic2}, so that both policies reinforce each other.",
        "A dedicated unit coordinates the work of the municipal departments involved.",
        "Funding came from the municipal budget, a national grant and a partnership with the university.",
        "The results are published every quarter on the city website with open indicators.",
        "Residents can report problems through a mobile application and follow their request online.",
        "The main difficulties were the lack of skilled staff and the fragmentation of existing systems.",
        "Other municipalities of the region have since adopted a similar approach.",
        "The council approved a new regulation that makes the practice permanent.",
        "Civil society organisations were involved from the design phase to the evaluation.",
        "An independent evaluation found that waiting times fell by {pct} per cent.",
        "The initiative received a national award for innovation in local government.",
        "Training sessions for municipal staff were organised before the public launch.",
        "The data collected helps the city plan investments and measure the impact of {topic}.",
        "Next steps include extending {topic2} and sharing the tools with neighbouring towns.",
    ],
    "fr": [
        "En {year}, la {org} a lancé un programme consacré à {topic} avec {group}.",
        "Le projet a d'abord été expérimenté dans deux quartiers avant d'être étendu à toute la ville.",
        "Son objectif principal est de rendre {topic} plus simple, moins coûteux et plus accessible pour {group}.",
        "Plus de {n} personnes ont participé aux ateliers qui ont permis de concevoir le service.",
        "L'équipe a associé {topic} et {topic2} afin que les deux politiques se renforcent.",
        "Une mission dédiée coordonne le travail des services municipaux concernés.",
        "Le financement provient du budget communal, d'une subvention de l'État et d'un partenariat avec l'université.",
        "Les résultats sont publiés chaque trimestre sur le site de la ville avec des indicateurs ouverts.",
        "Les habitants peuvent signaler un problème grâce à une application mobile et suivre leur demande en ligne.",
        "Les principales difficultés ont été le manque de personnel qualifié et la dispersion des systèmes existants.",
        "D'autres communes de la région ont depuis adopté une démarche semblable.",
        "Le conseil municipal a voté une délibération qui pérennise le dispositif.",
        "Les associations ont été associées de la conception jusqu'à l'évaluation.",
        "Une évaluation indépendante montre que les délais d'attente ont baissé de {pct} pour cent.",
        "L'initiative a reçu un prix national de l'innovation territoriale.",
        "Des formations ont été proposées aux agents municipaux avant l'ouverture au public.",
        "Les données recueillies aident la ville à planifier ses investissements et à mesurer l'effet de {topic}.",
        "Les prochaines étapes prévoient d'étendre {topic2} et de partager les outils avec les communes voisines.",
    ],
    "es": [
        "En {year}, el {org} puso en marcha un programa sobre {topic} junto con {group}.",
        "El proyecto comenzó como piloto en dos barrios y se extendió a toda la ciudad tras una evaluación.",
        "Su objetivo principal es que {topic} sea más sencillo, barato y accesible para {group}.",
        "Más de {n} personas participaron en los talleres que dieron forma al servicio.",
        "El equipo combinó {topic} con {topic2}, de modo que ambas políticas se refuerzan.",
        "Una oficina específica coordina el trabajo de las áreas municipales implicadas.",
        "La financiación procede del presupuesto municipal, de una subvención estatal y de un convenio con la universidad.",
        "Los resultados se publican cada trimestre en la web municipal con indicadores abiertos.",
        "Los vecinos pueden comunicar incidencias con una aplicación móvil y seguir su solicitud en línea.",
        "Las principales dificultades fueron la falta de personal cualificado y la fragmentación de los sistemas existentes.",
        "Otros municipios de la región han adoptado después un enfoque similar.",
        "El pleno aprobó una ordenanza que hace permanente la práctica.",
        "Las organizaciones de la sociedad civil participaron desde el diseño hasta la evaluación.",
        "Una evaluación independiente concluyó que los tiempos de espera se redujeron un {pct} por ciento.",
        "La iniciativa recibió un premio nacional a la innovación en la gestión local.",
        "Antes del lanzamiento se organizaron cursos de formación para el personal municipal.",
        "Los datos recogidos ayudan a la ciudad a planificar inversiones y a medir el impacto de {topic}.",
        "Los próximos pasos incluyen ampliar {topic2} y compartir las herramientas con los municipios vecinos.",
    ],
    "pt": [
        "Em {year}, a {org} lançou um programa dedicado a {topic} em conjunto com {group}.",
        "O projeto começou como piloto em dois bairros e foi alargado a toda a cidade após uma avaliação.",
        "O seu principal objetivo é tornar {topic} mais simples, mais barato e mais acessível para {group}.",
        "Mais de {n} pessoas participaram nas oficinas que deram forma ao serviço.",
        "A equipa combinou {topic} com {topic2}, para que as duas políticas se reforcem.",
        "Uma unidade dedicada coordena o trabalho dos serviços municipais envolvidos.",
        "O financiamento veio do orçamento municipal, de um apoio nacional e de uma parceria com a universidade.",
        "Os resultados são publicados todos os trimestres no sítio da cidade com indicadores abertos.",
        "Os moradores podem comunicar problemas através de uma aplicação móvel e acompanhar o pedido online.",
        "As principais dificuldades foram a falta de pessoal qualificado e a fragmentação dos sistemas existentes.",
        "Outros municípios da região adotaram desde então uma abordagem semelhante.",
        "A assembleia municipal aprovou um regulamento que torna a prática permanente.",
        "As organizações da sociedade civil participaram desde a conceção até à avaliação.",
        "Uma avaliação independente concluiu que os tempos de espera diminuíram {pct} por cento.",
        "A iniciativa recebeu um prémio nacional de inovação na administração local.",
        "Foram organizadas ações de formação para os funcionários municipais antes do lançamento.",
        "Os dados recolhidos ajudam a cidade a planear investimentos e a medir o impacto de {topic}.",
        "Os próximos passos incluem alargar {topic2} e partilhar as ferramentas com os municípios vizinhos.",
    ],
}

# Trend articles open differently: they speak about many cities, not one.
TREND_OPENINGS = {
    "en": "Across the network, more and more cities are investing in {topic}.",
    "fr": "Dans tout le réseau, de plus en plus de villes investissent dans {topic}.",
    "es": "En toda la red, cada vez más ciudades invierten en {topic}.",
    "pt": "Em toda a rede, cada vez mais cidades investem em {topic}.",
}

TAGS = ["api", "gtfs", "gis", "iot", "mobile-app", "open-source", "sensors", "dashboard",
        "chatbot", "blockchain", "ai", "crowdsourcing", "pilot", "award", "covid-19", "sdg-11"]

# (city, country, region, lang): places whose official language is one of the four.
CITIES = [
    ("Bilbao", "ES", "europe", "es"), ("Barcelona", "ES", "europe", "es"), ("Valencia", "ES", "europe", "es"),
    ("Sevilla", "ES", "europe", "es"), ("Madrid", "ES", "europe", "es"),
    ("Lyon", "FR", "europe", "fr"), ("Bordeaux", "FR", "europe", "fr"), ("Nantes", "FR", "europe", "fr"),
    ("Strasbourg", "FR", "europe", "fr"), ("Grenoble", "FR", "europe", "fr"), ("Liège", "BE", "europe", "fr"),
    ("Genève", "CH", "europe", "fr"), ("Lisboa", "PT", "europe", "pt"), ("Porto", "PT", "europe", "pt"),
    ("Braga", "PT", "europe", "pt"), ("Manchester", "GB", "europe", "en"), ("Bristol", "GB", "europe", "en"),
    ("Dublin", "IE", "europe", "en"), ("Glasgow", "GB", "europe", "en"),
    ("Montréal", "CA", "north-america", "fr"), ("Québec", "CA", "north-america", "fr"),
    ("Toronto", "CA", "north-america", "en"), ("Boston", "US", "north-america", "en"),
    ("Seattle", "US", "north-america", "en"), ("Austin", "US", "north-america", "en"),
    ("Ciudad de México", "MX", "latin-america", "es"), ("Guadalajara", "MX", "latin-america", "es"),
    ("Medellín", "CO", "latin-america", "es"), ("Bogotá", "CO", "latin-america", "es"),
    ("Buenos Aires", "AR", "latin-america", "es"), ("Rosario", "AR", "latin-america", "es"),
    ("Santiago", "CL", "latin-america", "es"), ("Montevideo", "UY", "latin-america", "es"),
    ("Lima", "PE", "latin-america", "es"), ("Quito", "EC", "latin-america", "es"),
    ("São Paulo", "BR", "latin-america", "pt"), ("Porto Alegre", "BR", "latin-america", "pt"),
    ("Curitiba", "BR", "latin-america", "pt"), ("Recife", "BR", "latin-america", "pt"),
    ("Belo Horizonte", "BR", "latin-america", "pt"), ("Dakar", "SN", "africa", "fr"),
    ("Abidjan", "CI", "africa", "fr"), ("Rabat", "MA", "africa", "fr"), ("Tunis", "TN", "africa", "fr"),
    ("Maputo", "MZ", "africa", "pt"), ("Luanda", "AO", "africa", "pt"), ("Praia", "CV", "africa", "pt"),
    ("Nairobi", "KE", "africa", "en"), ("Kigali", "RW", "africa", "en"), ("Cape Town", "ZA", "africa", "en"),
    ("Accra", "GH", "africa", "en"), ("Pune", "IN", "asia-pacific", "en"), ("Surat", "IN", "asia-pacific", "en"),
    ("Melbourne", "AU", "asia-pacific", "en"), ("Auckland", "NZ", "asia-pacific", "en"),
    ("Quezon City", "PH", "asia-pacific", "en"), ("Singapore", "SG", "asia-pacific", "en"),
    ("Beirut", "LB", "middle-east-west-asia", "fr"), ("Amman", "JO", "middle-east-west-asia", "en"),
    ("Istanbul", "TR", "middle-east-west-asia", "en"), ("Almaty", "KZ", "eurasia", "en"),
    ("Tbilisi", "GE", "eurasia", "en"),
]
