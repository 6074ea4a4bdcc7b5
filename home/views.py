from django.shortcuts import render


def accessibility(request):
    return render(request, "home/accessibility.html")


def privacy(request):
    return render(request, "home/privacy.html")


def cookies(request):
    return render(request, "home/cookies.html")
