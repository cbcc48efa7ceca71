from django.core.paginator import Paginator


def paginate(request, items, per_page: int) -> dict:
    """The page asked for, and the rest of the query string so that page links keep the
    filters: the context `includes/pagination.html` expects."""
    query = request.GET.copy()
    query.pop("page", None)
    return {
        "page_obj": Paginator(items, per_page).get_page(request.GET.get("page")),
        "query_string": query.urlencode(),
    }
