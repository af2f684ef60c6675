from .clock import urls as clock_urls
from .review import urls as review_urls

app_name = "custody"

urlpatterns = [*review_urls.urlpatterns, *clock_urls.urlpatterns]
