from django.shortcuts import render

from content.search import search_all


def search(request):
    query = request.GET.get("q", "").strip()[:100]
    sections = search_all(query, request.user) if query else []
    return render(request, "content/search.html", {"query": query, "sections": sections})
