"""Demo stores (the content issue adds tips, stories, practitioners and courses)."""

from wagtail.models import Site

from content.models import HomePage, StoreIndexPage, StorePage

STORES = [
    ("xinyi", "Tend Xinyi 信義店", "台北市信義區松高路 11 號 2F", "02-2720-1234"),
    ("daan", "Tend Da'an 大安店", "台北市大安區敦化南路一段 160 號", "02-2771-5678"),
    ("taichung", "Tend Taichung 台中店", "台中市西屯區台灣大道三段 301 號", "04-2252-9012"),
]


def home_page() -> HomePage:
    site = Site.objects.get(is_default_site=True)
    return site.root_page.specific


def seed(stdout, scale: int = 0) -> None:
    home = home_page()
    index = StoreIndexPage.objects.child_of(home).first()
    if index is None:
        index = home.add_child(
            instance=StoreIndexPage(
                title="Stores 門市", slug="stores", intro="Find a Tend store near you."
            )
        )
    for slug, title, address, phone in STORES:
        if not StorePage.objects.filter(slug=slug).exists():
            index.add_child(
                instance=StorePage(title=title, slug=slug, address=address, phone=phone)
            )
            stdout.write(f"  created store {slug}")
