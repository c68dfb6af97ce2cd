import { render } from 'preact';
import { App } from './app.tsx';
import './styles/tokens.css';
import './styles/base.css';
import './styles/layout.css';
import './styles/search.css';
import './styles/reader.css';
import './styles/suggest.css';

const root = document.getElementById('app');
if (root) render(<App />, root);
