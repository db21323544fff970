"""Custom Streamlit components shipped with the app: plain JavaScript and CSS in the repository, no build."""
