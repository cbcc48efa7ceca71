def offline_app(request) -> dict:
    """Whether the page offers the installable app and keeps what reporting with no signal
    needs: a volunteer's pages, and the sign-in page (where reports kept on the phone wait
    for their volunteer to sign in again, and where a session found to have ended removes
    the clients' names from the phone)."""
    user = request.user
    if request.resolver_match and request.resolver_match.url_name == "login":
        return {"offline_app": True}
    return {"offline_app": user.is_authenticated and "volunteer" in user.roles}
